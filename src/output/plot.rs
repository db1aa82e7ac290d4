//! Figures of monitors, the ones of Brian2's tutorials: a raster per `SpikeMonitor` (time in ms
//! against neuron index), a trace figure per `StateMonitor` variable (time in ms against the
//! value, the axis labelled with its unit) and the rate per `PopulationRateMonitor`.
//!
//! Drawn with `plotters` into memory (PNG via the `png` crate, or SVG text), so figures are
//! written atomically with the data. Text uses the DejaVu Sans font shipped in `assets/fonts`
//! through `ab_glyph`; no system font library is needed. This module never prints.

use super::{unit_of, Artifact};
use crate::monitor::{Monitor, PopulationRateMonitor, SpikeMonitor, StateMonitor};
use crate::runtime::network::Network;
use crate::units::{Dimension, Quantity};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The colour of raster marks (matplotlib's default blue), used by nothing else in a raster.
pub const RASTER_COLOUR: (u8, u8, u8) = (31, 119, 180);

/// Figure size in pixels.
pub const SIZE: (u32, u32) = (800, 500);

/// The image format of figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PlotFormat {
    /// PNG (the default).
    #[default]
    Png,
    /// SVG.
    Svg,
}

impl PlotFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            PlotFormat::Png => "png",
            PlotFormat::Svg => "svg",
        }
    }
}

/// At most this many traces are drawn in one figure (the first recorded elements); the data
/// files always hold all of them.
pub const MAX_TRACES: usize = 20;

/// Line colours of traces (matplotlib's `tab10`).
const PALETTE: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn ensure_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to be valid; if it were not, text would be missing
        // but the figure would still be drawn.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// One figure to draw.
enum Figure<'a> {
    Raster {
        m: &'a SpikeMonitor,
        n: usize,
        t_end: f64,
    },
    Trace {
        m: &'a StateMonitor,
        k: usize,
        dim: Dimension,
        unit: String,
    },
    Rate {
        m: &'a PopulationRateMonitor,
    },
}

/// The figures of the monitors (each with its network): `NAME.raster.png`, `NAME.<var>.png`,
/// `NAME.rate.png`.
pub fn monitor_plots(
    monitors: &[(&Network, &Monitor)],
    format: PlotFormat,
) -> Result<Vec<Artifact>, String> {
    ensure_font();
    let mut out = Vec::new();
    let ext = format.extension();
    for &(net, m) in monitors {
        match m {
            Monitor::Spike(sp) => {
                let fig = Figure::Raster {
                    m: sp,
                    n: net.groups.get(sp.source).map(|g| g.n).unwrap_or(1),
                    t_end: net.t(),
                };
                out.push(Artifact {
                    name: format!("{}.raster.{ext}", sp.name),
                    bytes: render(&fig, format)?,
                });
            }
            Monitor::State(sm) => {
                for (k, var) in sm.variables.iter().enumerate() {
                    let dim =
                        super::dim_of(net, sm.source, var).unwrap_or(Dimension::DIMENSIONLESS);
                    let fig = Figure::Trace {
                        m: sm,
                        k,
                        dim,
                        unit: unit_of(net, sm.source, var),
                    };
                    out.push(Artifact {
                        name: format!("{}.{var}.{ext}", sm.name),
                        bytes: render(&fig, format)?,
                    });
                }
            }
            Monitor::Rate(rm) => {
                out.push(Artifact {
                    name: format!("{}.rate.{ext}", rm.name),
                    bytes: render(&Figure::Rate { m: rm }, format)?,
                });
            }
        }
    }
    Ok(out)
}

fn render(fig: &Figure<'_>, format: PlotFormat) -> Result<Vec<u8>, String> {
    let (w, h) = SIZE;
    match format {
        PlotFormat::Png => {
            let mut buf = vec![255u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                fig.draw(&root)?;
                root.present().map_err(|e| e.to_string())?;
            }
            encode_png(&buf, w, h)
        }
        PlotFormat::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                fig.draw(&root)?;
                root.present().map_err(|e| e.to_string())?;
            }
            Ok(s.into_bytes())
        }
    }
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A scale factor and label for values of dimension `dim` whose largest magnitude is `max`:
/// volts become millivolts when that reads better, as `Quantity::display` would write them.
fn axis_unit(max: f64, dim: Dimension, unit: &str) -> (f64, String) {
    if dim.is_dimensionless() || max == 0.0 || !max.is_finite() {
        return (
            1.0,
            if unit == "1" {
                String::new()
            } else {
                unit.into()
            },
        );
    }
    let shown = Quantity::new(max, dim).display();
    if let Some((num, name)) = shown.split_once(' ') {
        if let Ok(x) = num.trim_end_matches('.').parse::<f64>() {
            if x != 0.0 && x.is_finite() {
                return (x / max, name.to_string());
            }
        }
    }
    (1.0, unit.to_string())
}

fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * hi.abs().max(1e-300) {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

impl Figure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let font = ("sans-serif", 16);
        match self {
            Figure::Raster { m, n, t_end } => {
                let t_end_ms = (t_end * 1e3).max(m.t.last().copied().unwrap_or(0.0) * 1e3);
                let t_end_ms = if t_end_ms > 0.0 { t_end_ms } else { 1.0 };
                let mut chart = ChartBuilder::on(root)
                    .caption(&m.name, ("sans-serif", 20))
                    .margin(15)
                    .x_label_area_size(45)
                    .y_label_area_size(60)
                    .build_cartesian_2d(0f64..t_end_ms, -0.5f64..(*n as f64 - 0.5))
                    .map_err(err)?;
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_desc("time (ms)")
                    .y_desc("neuron index")
                    .y_labels((*n).clamp(2, 11))
                    .x_label_formatter(&|x| format!("{x}"))
                    .y_label_formatter(&|y| {
                        // Neuron indices are integers: label only the integral ticks.
                        if (y - y.round()).abs() < 1e-6 {
                            format!("{}", y.round() as i64)
                        } else {
                            String::new()
                        }
                    })
                    .label_style(font)
                    .draw()
                    .map_err(err)?;
                let (r, g, b) = RASTER_COLOUR;
                let colour = RGBColor(r, g, b);
                let radius = if m.t.len() > 5000 { 1 } else { 3 };
                chart
                    .draw_series(
                        m.i.iter().zip(&m.t).map(|(i, t)| {
                            Circle::new((t * 1e3, *i as f64), radius, colour.filled())
                        }),
                    )
                    .map_err(err)?;
            }
            Figure::Trace { m, k, dim, unit } => {
                let var = &m.variables[*k];
                let values = &m.values[*k];
                let max = values
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold(0.0f64, |a, v| a.max(v.abs()));
                let (scale, label) = axis_unit(max, *dim, unit);
                let (t0, t1) = match (m.times.first(), m.times.last()) {
                    (Some(a), Some(b)) if b > a => (a * 1e3, b * 1e3),
                    _ => (0.0, 1.0),
                };
                let (lo, hi) = range(values.iter().map(|v| v * scale));
                let cols = m.indices.len();
                let shown = cols.min(MAX_TRACES);
                let caption = if shown < cols {
                    format!("{}.{var} (first {shown} of {cols})", m.name)
                } else {
                    format!("{}.{var}", m.name)
                };
                let mut chart = ChartBuilder::on(root)
                    .caption(caption, ("sans-serif", 20))
                    .margin(15)
                    .x_label_area_size(45)
                    .y_label_area_size(70)
                    .build_cartesian_2d(t0..t1, lo..hi)
                    .map_err(err)?;
                let y_desc = if label.is_empty() {
                    var.clone()
                } else {
                    format!("{var} ({label})")
                };
                chart
                    .configure_mesh()
                    .x_desc("time (ms)")
                    .y_desc(y_desc)
                    .label_style(font)
                    .draw()
                    .map_err(err)?;
                for (c, idx) in m.labels().enumerate().take(shown) {
                    let (r, g, b) = PALETTE[c % PALETTE.len()];
                    let colour = RGBColor(r, g, b);
                    let series = chart
                        .draw_series(LineSeries::new(
                            m.times
                                .iter()
                                .enumerate()
                                .map(|(row, t)| (t * 1e3, values[row * cols + c] * scale))
                                .filter(|p| p.1.is_finite()),
                            colour.stroke_width(2),
                        ))
                        .map_err(err)?;
                    if cols > 1 && cols <= 10 {
                        series.label(format!("{idx}")).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                        });
                    }
                }
                if cols > 1 && cols <= 10 {
                    chart
                        .configure_series_labels()
                        .background_style(WHITE.mix(0.8))
                        .border_style(BLACK)
                        .label_font(font)
                        .draw()
                        .map_err(err)?;
                }
            }
            Figure::Rate { m } => {
                let (t0, t1) = match (m.times.first(), m.times.last()) {
                    (Some(a), Some(b)) if b > a => (a * 1e3, b * 1e3),
                    _ => (0.0, 1.0),
                };
                let (_, hi) = range(m.rate.iter().copied());
                let mut chart = ChartBuilder::on(root)
                    .caption(&m.name, ("sans-serif", 20))
                    .margin(15)
                    .x_label_area_size(45)
                    .y_label_area_size(70)
                    .build_cartesian_2d(t0..t1, 0f64..hi.max(1.0))
                    .map_err(err)?;
                chart
                    .configure_mesh()
                    .x_desc("time (ms)")
                    .y_desc("rate (Hz)")
                    .label_style(font)
                    .draw()
                    .map_err(err)?;
                let (r, g, b) = PALETTE[0];
                chart
                    .draw_series(LineSeries::new(
                        m.times.iter().zip(&m.rate).map(|(t, r)| (t * 1e3, *r)),
                        RGBColor(r, g, b).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volts_are_shown_in_millivolts() {
        let (scale, label) = axis_unit(0.07, Dimension::volt(), "volt");
        assert_eq!(label, "mV");
        assert!((scale - 1e3).abs() < 1e-9);
        assert_eq!(
            axis_unit(0.8, Dimension::DIMENSIONLESS, "1"),
            (1.0, String::new())
        );
    }
}
