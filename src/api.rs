//! The library API for embedding snnc in Rust programs: run a `.eq` script given as a string,
//! or build a network from model strings with [`Simulation`] and read monitors as `ndarray`s.
//!
//! ```
//! use snnc::api::Simulation;
//!
//! let mut sim = Simulation::new();
//! sim.constant("tau", 10e-3, "second").unwrap();
//! let g = sim
//!     .neuron_group(1, "dv/dt = (1-v)/tau : 1")
//!     .threshold("v > 0.8")
//!     .reset("v = 0")
//!     .method("exact")
//!     .build()
//!     .unwrap();
//! let spikes = sim.spike_monitor(g);
//! sim.run(0.05).unwrap();
//! let (i, t) = sim.spikes(spikes).unwrap();
//! assert_eq!(i.len(), t.len());
//! assert!(!t.is_empty());
//! ```

use crate::backend::BackendKind;
use crate::check::{ConstValue, Namespace};
use crate::diagnostics::{render_all, Diagnostic};
use crate::integrate::Method;
use crate::monitor::{Monitor, Source};
use crate::runtime::group::Refractory;
use crate::runtime::network::{Network, RunError};
use crate::script::{run_script, Outcome, ScriptOptions};
use crate::source::{OffsetMap, SourceFile, Span};
use ndarray::{Array1, Array2};
use std::fmt;

/// Everything that can go wrong when using the library.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The model or script is wrong; `rendered` shows each problem against its source.
    Model {
        /// The diagnostics.
        diagnostics: Vec<Diagnostic>,
        /// Rendered, rustc-style.
        rendered: String,
    },
    /// The simulation failed (for example a NaN in a state variable).
    Run(RunError),
    /// A handle that does not belong to this simulation, or a monitor of another kind.
    BadHandle(String),
    /// An argument outside its domain (a time step that is not positive and finite).
    BadValue(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model { rendered, .. } => f.write_str(rendered),
            Error::Run(e) => write!(f, "{e}"),
            Error::BadHandle(m) | Error::BadValue(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// Runs a `.eq` script given as text (`name` is used in messages).
pub fn run_eq(name: &str, text: &str, opts: &ScriptOptions) -> Result<Outcome, Error> {
    let file = SourceFile::new(name, text);
    run_script(&file, opts).map_err(|e| match e.runtime {
        Some(r) => Error::Run(r),
        None => Error::Model {
            rendered: render_all(&e.diagnostics, &file),
            diagnostics: e.diagnostics,
        },
    })
}

/// A handle to a neuron group of a [`Simulation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupId(pub usize);

/// A handle to a `Synapses` object of a [`Simulation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SynapsesId(pub usize);

/// A handle to a monitor of a [`Simulation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonitorId(pub usize);

/// A network built from Rust.
pub struct Simulation {
    net: Network,
    ns: Namespace,
    sources: Vec<SourceFile>,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation::new()
    }
}

impl Simulation {
    /// A simulation on the JIT backend with seed 0 and `dt` = 0.1 ms.
    pub fn new() -> Simulation {
        Simulation::with_backend(BackendKind::Jit, 0)
    }

    /// A simulation on the given backend and seed.
    pub fn with_backend(backend: BackendKind, seed: u64) -> Simulation {
        Simulation {
            net: Network::new(backend, seed),
            ns: Namespace::default(),
            sources: Vec::new(),
        }
    }

    /// Sets the time step (seconds); it must be positive and finite, as in Brian2.
    pub fn set_dt(&mut self, dt: f64) -> Result<(), Error> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(Error::BadValue(format!(
                "dt must be a positive, finite time, found {dt} s"
            )));
        }
        self.net.dt = dt;
        Ok(())
    }

    /// Turns fast math on or off (off by default) for kernels compiled afterwards: per-element
    /// `exp`, `expm1` and `exprel` then use the inline polynomial of
    /// [`crate::backend::fastmath`] (within 3 units in the last place of libm) instead of
    /// libm; both backends still agree bit for bit.
    pub fn set_fast_math(&mut self, on: bool) {
        self.net.fast_math = on;
    }

    /// Defines a constant visible to model strings: `value` in units of `unit` (a unit name or
    /// expression such as `"ms"`, `"mV"`, `"siemens/metre**2"`, or `"1"`).
    pub fn constant(&mut self, name: &str, value: f64, unit: &str) -> Result<(), Error> {
        let file = SourceFile::new("<unit>", unit);
        let expr = crate::syntax::parse_expr(unit, &OffsetMap::identity())
            .map_err(|d| self.model_error(d, &file))?;
        let q = unit_value(&expr).ok_or_else(|| Error::Model {
            rendered: format!("error: '{unit}' is not a unit"),
            diagnostics: vec![Diagnostic::error_nospan(format!("'{unit}' is not a unit"))],
        })?;
        self.ns.values.insert(
            name.to_string(),
            ConstValue::Number {
                value: value * q.value,
                dim: q.dim,
                integer: false,
            },
        );
        Ok(())
    }

    fn model_error(&self, d: Vec<Diagnostic>, file: &SourceFile) -> Error {
        Error::Model {
            rendered: render_all(&d, file),
            diagnostics: d,
        }
    }

    /// Starts building a neuron group of `n` neurons with the given model string.
    pub fn neuron_group<'a>(&'a mut self, n: usize, model: &'a str) -> NeuronGroupBuilder<'a> {
        NeuronGroupBuilder {
            sim: self,
            n,
            model,
            threshold: None,
            reset: None,
            refractory: None,
            method: None,
            name: None,
        }
    }

    /// Sets a variable from an expression string evaluated per neuron (`"rand()"`,
    /// `"i*0.1"`).
    pub fn set(&mut self, group: GroupId, var: &str, expr: &str) -> Result<(), Error> {
        let file = SourceFile::new(format!("<{var}>"), expr);
        let e = crate::syntax::parse_expr(expr, &OffsetMap::identity())
            .map_err(|d| self.model_error(d, &file))?;
        let ns = self.ns.clone();
        self.net
            .set_from_expr(Source::Group(group.0), var, (&e, None), None, None, &ns)
            .map_err(|d| self.model_error(d, &file))
    }

    /// Sets a variable from explicit values (in SI units), one per neuron.
    pub fn set_values(&mut self, group: GroupId, var: &str, values: &[f64]) -> Result<(), Error> {
        let col = self
            .net
            .values_mut(Source::Group(group.0), var)
            .ok_or_else(|| Error::BadHandle(format!("no variable '{var}'")))?;
        if col.len() != values.len() {
            return Err(Error::BadHandle(format!(
                "expected {} values for '{var}', got {}",
                col.len(),
                values.len()
            )));
        }
        col.assign(&Array1::from(values.to_vec()));
        Ok(())
    }

    /// The current values of a variable (SI units).
    pub fn values(&self, group: GroupId, var: &str) -> Option<Array1<f64>> {
        self.net.values(Source::Group(group.0), var)
    }

    /// Records `vars` of the neurons `indices` at every step.
    pub fn state_monitor(&mut self, group: GroupId, vars: &[&str], indices: &[usize]) -> MonitorId {
        MonitorId(self.net.add_state_monitor(
            &format!("statemonitor_{}", self.net.monitors.len()),
            Source::Group(group.0),
            vars.iter().map(|s| s.to_string()).collect(),
            indices.to_vec(),
        ))
    }

    /// Creates synapses from `source` to `target` with a model string (may be empty) and
    /// `on_pre` code (may be empty); connect them with [`Simulation::connect`].
    pub fn synapses(
        &mut self,
        source: GroupId,
        target: GroupId,
        model: &str,
        on_pre: &str,
    ) -> Result<SynapsesId, Error> {
        let mut text = String::new();
        text.push_str(model);
        text.push('\n');
        let pre_at = text.len();
        text.push_str(on_pre);
        text.push('\n');
        let file = SourceFile::new("<synapses>", text);
        let err = |d: Vec<Diagnostic>| Error::Model {
            rendered: render_all(&d, &file),
            diagnostics: d,
        };
        let model = crate::syntax::parse_model(model, &OffsetMap::identity()).map_err(err)?;
        let code = if on_pre.trim().is_empty() {
            None
        } else {
            Some(crate::syntax::parse_code(on_pre, &OffsetMap::shifted(pre_at)).map_err(err)?)
        };
        let range = |g: GroupId| crate::runtime::synapses::GroupRange {
            group: g.0,
            start: 0,
            stop: self.net.groups[g.0].n,
        };
        let (src, tgt) = (range(source), range(target));
        let name = format!("synapses_{}", self.net.synapses.len());
        let k = self
            .net
            .add_synapses(
                &name,
                src,
                tgt,
                model,
                code,
                None,
                None,
                None,
                Span::default(),
            )
            .map_err(err)?;
        self.sources.push(file);
        Ok(SynapsesId(k))
    }

    /// Connects synapses where `condition` holds (`None`: all pairs), each with probability
    /// `p` (Brian2's `S.connect(condition, p=p)`).
    pub fn connect(
        &mut self,
        syn: SynapsesId,
        condition: Option<&str>,
        p: f64,
    ) -> Result<(), Error> {
        let text = condition.unwrap_or("");
        let file = SourceFile::new("<condition>", text);
        let condition = match condition {
            Some(c) => Some(
                crate::syntax::parse_expr(c, &OffsetMap::identity())
                    .map_err(|d| self.model_error(d, &file))?,
            ),
            None => None,
        };
        let spec = crate::runtime::connect::ConnectSpec::Condition {
            condition,
            p: crate::runtime::connect::Prob::Value(p),
            n: 1,
            n_expr: None,
        };
        let ns = self.ns.clone();
        self.net
            .connect(syn.0, &spec, &ns, Span::default())
            .map_err(|d| self.model_error(d, &file))?;
        Ok(())
    }

    /// Number of synapses of a `Synapses` object.
    pub fn synapse_count(&self, syn: SynapsesId) -> usize {
        self.net.synapses.get(syn.0).map(|s| s.len()).unwrap_or(0)
    }

    /// Records the spikes of a group.
    pub fn spike_monitor(&mut self, group: GroupId) -> MonitorId {
        let n = self.net.groups.get(group.0).map_or(0, |g| g.n);
        MonitorId(self.net.add_spike_monitor(
            &format!("spikemonitor_{}", self.net.monitors.len()),
            group.0,
            (0, n),
            Vec::new(),
            true,
        ))
    }

    /// Simulates `duration` seconds.
    pub fn run(&mut self, duration: f64) -> Result<(), Error> {
        let ns = self.ns.clone();
        self.net.run(duration, &ns).map_err(|e| match e {
            RunError::Model(d) => {
                let rendered = d
                    .iter()
                    .map(|x| {
                        self.sources
                            .iter()
                            .find(|f| x.span.is_some_and(|s| (s.end as usize) <= f.text.len()))
                            .map(|f| x.render(f))
                            .unwrap_or_else(|| format!("error: {}\n", x.message))
                    })
                    .collect();
                Error::Model {
                    diagnostics: d,
                    rendered,
                }
            }
            other => Error::Run(other),
        })
    }

    /// Spike indices and times of a spike monitor.
    pub fn spikes(&self, m: MonitorId) -> Result<(Array1<u32>, Array1<f64>), Error> {
        match self.net.monitors.get(m.0) {
            Some(Monitor::Spike(s)) => Ok((Array1::from(s.i.clone()), Array1::from(s.t.clone()))),
            _ => Err(Error::BadHandle("not a spike monitor".into())),
        }
    }

    /// Times and values (shape `(times, indices)`) of a state monitor's variable.
    pub fn trace(&self, m: MonitorId, var: &str) -> Result<(Array1<f64>, Array2<f64>), Error> {
        match self.net.monitors.get(m.0) {
            Some(Monitor::State(s)) => {
                let k = s
                    .variables
                    .iter()
                    .position(|v| v == var)
                    .ok_or_else(|| Error::BadHandle(format!("'{var}' is not recorded")))?;
                Ok((Array1::from(s.times.clone()), s.array(k)))
            }
            _ => Err(Error::BadHandle("not a state monitor".into())),
        }
    }

    /// The underlying network.
    pub fn network(&self) -> &Network {
        &self.net
    }
}

fn unit_value(e: &crate::syntax::ast::Expr) -> Option<crate::units::Quantity> {
    use crate::syntax::ast::{BinOp, ExprKind};
    use crate::units::{Quantity, Rational};
    Some(match &e.kind {
        ExprKind::Int(1) => Quantity::dimensionless(1.0),
        ExprKind::Name(n) => crate::units::lookup_unit(n)?,
        ExprKind::Binary { op, lhs, rhs } => {
            let a = unit_value(lhs)?;
            match op {
                BinOp::Mul => {
                    let b = unit_value(rhs)?;
                    Quantity::new(a.value * b.value, a.dim.mul(b.dim))
                }
                BinOp::Div => {
                    let b = unit_value(rhs)?;
                    Quantity::new(a.value / b.value, a.dim.div(b.dim))
                }
                BinOp::Pow => {
                    let p = match &rhs.kind {
                        ExprKind::Int(i) => *i as f64,
                        ExprKind::Float(x) => *x,
                        ExprKind::Unary { operand, .. } => match operand.kind {
                            ExprKind::Int(i) => -(i as f64),
                            ExprKind::Float(x) => -x,
                            _ => return None,
                        },
                        _ => return None,
                    };
                    Quantity::new(a.value.powf(p), a.dim.pow(Rational::from_f64(p)?))
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// Builds a neuron group; see [`Simulation::neuron_group`].
pub struct NeuronGroupBuilder<'a> {
    sim: &'a mut Simulation,
    n: usize,
    model: &'a str,
    threshold: Option<&'a str>,
    reset: Option<&'a str>,
    refractory: Option<Refractory>,
    method: Option<&'a str>,
    name: Option<&'a str>,
}

impl<'a> NeuronGroupBuilder<'a> {
    /// The threshold condition (`"v > vt"`).
    pub fn threshold(mut self, cond: &'a str) -> Self {
        self.threshold = Some(cond);
        self
    }

    /// Reset statements (`"v = vr"`).
    pub fn reset(mut self, code: &'a str) -> Self {
        self.reset = Some(code);
        self
    }

    /// A refractory period in seconds.
    pub fn refractory(mut self, seconds: f64) -> Self {
        self.refractory = Some(Refractory::Time(seconds));
        self
    }

    /// The integration method (`"exact"`, `"euler"`, `"rk4"`, ...).
    pub fn method(mut self, name: &'a str) -> Self {
        self.method = Some(name);
        self
    }

    /// The group's name.
    pub fn name(mut self, name: &'a str) -> Self {
        self.name = Some(name);
        self
    }

    /// Creates the group.
    pub fn build(self) -> Result<GroupId, Error> {
        // Each string becomes its own source so diagnostics point into it.
        let mut text = String::new();
        let mut place = |s: &str| {
            let start = text.len();
            text.push_str(s);
            text.push('\n');
            start
        };
        let m0 = place(self.model);
        let t0 = self.threshold.map(&mut place);
        let r0 = self.reset.map(&mut place);
        let file = SourceFile::new("<model>", text);
        let err = |d: Vec<Diagnostic>| Error::Model {
            rendered: render_all(&d, &file),
            diagnostics: d,
        };
        let model = crate::syntax::parse_model(self.model, &OffsetMap::shifted(m0)).map_err(err)?;
        let threshold = match (self.threshold, t0) {
            (Some(t), Some(o)) => {
                Some(crate::syntax::parse_expr(t, &OffsetMap::shifted(o)).map_err(err)?)
            }
            _ => None,
        };
        let reset = match (self.reset, r0) {
            (Some(r), Some(o)) => {
                Some(crate::syntax::parse_code(r, &OffsetMap::shifted(o)).map_err(err)?)
            }
            _ => None,
        };
        let method = match self.method {
            Some(m) => Some(Method::from_name(m).ok_or_else(|| {
                err(vec![Diagnostic::error_nospan(format!(
                    "no state updater with the name '{m}' is known"
                ))])
            })?),
            None => None,
        };
        let name = self
            .name
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("neurongroup_{}", self.sim.net.groups.len()));
        let k = self
            .sim
            .net
            .add_neuron_group(
                &name,
                self.n,
                model,
                threshold,
                reset,
                self.refractory.unwrap_or(Refractory::None),
                method,
                Span::default(),
            )
            .map_err(err)?;
        self.sim.sources.push(file);
        Ok(GroupId(k))
    }
}
