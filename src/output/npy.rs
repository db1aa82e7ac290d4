//! NumPy `.npy` files (format version 1.0, little-endian `<f8` and `<i8`) and the `index.json`
//! that says what each array holds, written by a small writer of our own.
//!
//! The arrays are named after Brian2's monitor attributes (`spikemon.i`, `spikemon.t`,
//! `statemon.t`, `statemon.v`, `ratemon.rate`), so `numpy.load("out/spikemon.t.npy")` is what
//! `spikemon.t[:]` would be in Brian2 (in SI base units). This module never prints.

use super::{unit_of, Artifact};
use crate::monitor::Monitor;
use crate::runtime::network::Network;
use std::fmt::Write as _;

/// The element type of an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    /// `<f8`: little-endian `f64`.
    F64,
    /// `<i8`: little-endian `i64`.
    I64,
}

impl Dtype {
    /// NumPy's `descr` string.
    pub fn descr(self) -> &'static str {
        match self {
            Dtype::F64 => "<f8",
            Dtype::I64 => "<i8",
        }
    }
}

/// An array read back from a `.npy` file (see [`read_npy`]).
#[derive(Clone, Debug, PartialEq)]
pub enum NpyData {
    /// `<f8` values in C order.
    F64(Vec<f64>),
    /// `<i8` values in C order.
    I64(Vec<i64>),
}

/// The shape and values of a `.npy` file.
#[derive(Clone, Debug, PartialEq)]
pub struct NpyArray {
    /// The shape (`[]` for a scalar).
    pub shape: Vec<usize>,
    /// The values.
    pub data: NpyData,
}

fn header(dtype: Dtype, shape: &[usize]) -> Vec<u8> {
    let shape_text = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {shape_text}, }}",
        dtype.descr()
    );
    // Magic (6) + version (2) + length (2) + dict + '\n' is padded with spaces to a multiple
    // of 64 bytes, as NumPy itself writes it, so the data starts aligned.
    let unpadded = 10 + dict.len() + 1;
    let padded = unpadded.div_ceil(64) * 64;
    dict.push_str(&" ".repeat(padded - unpadded));
    dict.push('\n');
    let mut out = Vec::with_capacity(padded);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    out.extend_from_slice(dict.as_bytes());
    out
}

/// A `.npy` file holding `data` (C order) with the given shape.
pub fn npy_f64(shape: &[usize], data: &[f64]) -> Vec<u8> {
    debug_assert_eq!(shape.iter().product::<usize>(), data.len());
    let mut out = header(Dtype::F64, shape);
    out.reserve(data.len() * 8);
    for x in data {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// A `.npy` file of `i64` values with the given shape.
pub fn npy_i64(shape: &[usize], data: &[i64]) -> Vec<u8> {
    debug_assert_eq!(shape.iter().product::<usize>(), data.len());
    let mut out = header(Dtype::I64, shape);
    out.reserve(data.len() * 8);
    for x in data {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Reads a version 1.0 `.npy` file of `<f8` or `<i8` values in C order (what this module
/// writes); anything else is refused with a message.
pub fn read_npy(bytes: &[u8]) -> Result<NpyArray, String> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err("not a .npy file (bad magic)".into());
    }
    if bytes[6] != 1 {
        return Err(format!(
            "unsupported .npy version {}.{}",
            bytes[6], bytes[7]
        ));
    }
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let head = std::str::from_utf8(bytes.get(10..10 + hlen).ok_or("truncated header")?)
        .map_err(|_| "header is not text")?;
    let field = |key: &str| -> Result<&str, String> {
        let k = head
            .find(&format!("'{key}':"))
            .ok_or(format!("no '{key}' in header"))?;
        Ok(head[k + key.len() + 3..].trim_start())
    };
    let descr = field("descr")?;
    let dtype = if descr.starts_with("'<f8'") {
        Dtype::F64
    } else if descr.starts_with("'<i8'") {
        Dtype::I64
    } else {
        return Err(format!("unsupported dtype in {head}"));
    };
    if !field("fortran_order")?.starts_with("False") {
        return Err("Fortran-ordered arrays are not supported".into());
    }
    let shape_text = field("shape")?;
    let close = shape_text.find(')').ok_or("bad shape")?;
    let shape = shape_text[1..close]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| format!("bad shape entry '{s}'"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body = &bytes[10 + hlen..];
    let n: usize = shape.iter().product();
    if body.len() != n * 8 {
        return Err(format!(
            "expected {} data bytes, found {}",
            n * 8,
            body.len()
        ));
    }
    let words = body.chunks_exact(8).map(|c| {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        b
    });
    let data = match dtype {
        Dtype::F64 => NpyData::F64(words.map(f64::from_le_bytes).collect()),
        Dtype::I64 => NpyData::I64(words.map(i64::from_le_bytes).collect()),
    };
    Ok(NpyArray { shape, data })
}

/// One entry of `index.json`.
struct Entry {
    file: String,
    monitor: String,
    kind: &'static str,
    attribute: String,
    dtype: Dtype,
    shape: Vec<usize>,
    unit: String,
    meaning: String,
    columns: Option<Vec<usize>>,
}

/// The `.npy` files of the monitors (each with its network), plus `index.json` describing
/// each.
pub fn monitor_npy_files(monitors: &[(&Network, &Monitor)]) -> Vec<Artifact> {
    let mut files = Vec::new();
    let mut index = Vec::new();
    let mut push = |files: &mut Vec<Artifact>, e: Entry, bytes: Vec<u8>| {
        files.push(Artifact {
            name: e.file.clone(),
            bytes,
        });
        index.push(e);
    };
    for &(net, m) in monitors {
        match m {
            Monitor::Spike(sp) => {
                let i: Vec<i64> = sp.i.iter().map(|&x| x as i64).collect();
                let e = |attr: &str, dtype, unit: &str, meaning: &str| Entry {
                    file: format!("{}.{attr}.npy", sp.name),
                    monitor: sp.name.clone(),
                    kind: "SpikeMonitor",
                    attribute: attr.into(),
                    dtype,
                    shape: vec![sp.i.len()],
                    unit: unit.into(),
                    meaning: meaning.into(),
                    columns: None,
                };
                push(
                    &mut files,
                    e("i", Dtype::I64, "1", "neuron index of each spike"),
                    npy_i64(&[i.len()], &i),
                );
                push(
                    &mut files,
                    e("t", Dtype::F64, "second", "time of each spike"),
                    npy_f64(&[sp.t.len()], &sp.t),
                );
                for (var, values) in sp.variables.iter().zip(&sp.values) {
                    let unit = unit_of(net, crate::monitor::Source::Group(sp.source), var);
                    let meaning = format!("'{var}' of the spiking neuron at each spike");
                    push(
                        &mut files,
                        e(var, Dtype::F64, &unit, &meaning),
                        npy_f64(&[values.len()], values),
                    );
                }
            }
            Monitor::State(sm) => {
                let rows = sm.times.len();
                let cols = sm.indices.len();
                push(
                    &mut files,
                    Entry {
                        file: format!("{}.t.npy", sm.name),
                        monitor: sm.name.clone(),
                        kind: "StateMonitor",
                        attribute: "t".into(),
                        dtype: Dtype::F64,
                        shape: vec![rows],
                        unit: "second".into(),
                        meaning: "sample times".into(),
                        columns: None,
                    },
                    npy_f64(&[rows], &sm.times),
                );
                for (k, var) in sm.variables.iter().enumerate() {
                    push(
                        &mut files,
                        Entry {
                            file: format!("{}.{var}.npy", sm.name),
                            monitor: sm.name.clone(),
                            kind: "StateMonitor",
                            attribute: var.clone(),
                            dtype: Dtype::F64,
                            shape: vec![rows, cols],
                            unit: unit_of(net, sm.source, var),
                            meaning: format!(
                                "'{var}' at each sample time (rows) of each recorded element (columns)"
                            ),
                            columns: Some(sm.labels().collect()),
                        },
                        npy_f64(&[rows, cols], &sm.values[k]),
                    );
                }
            }
            Monitor::Rate(rm) => {
                let n = rm.times.len();
                let e = |attr: &str, unit: &str, meaning: &str| Entry {
                    file: format!("{}.{attr}.npy", rm.name),
                    monitor: rm.name.clone(),
                    kind: "PopulationRateMonitor",
                    attribute: attr.into(),
                    dtype: Dtype::F64,
                    shape: vec![n],
                    unit: unit.into(),
                    meaning: meaning.into(),
                    columns: None,
                };
                push(
                    &mut files,
                    e("t", "second", "sample times"),
                    npy_f64(&[n], &rm.times),
                );
                push(
                    &mut files,
                    e("rate", "hertz", "spikes in the step / N / dt"),
                    npy_f64(&[n], &rm.rate),
                );
            }
        }
    }
    files.push(Artifact {
        name: "index.json".into(),
        bytes: index_json(&index).into_bytes(),
    });
    files
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn index_json(entries: &[Entry]) -> String {
    let mut s = String::from("{\n  \"format\": \"snnc-npy-1\",\n  \"arrays\": [\n");
    for (k, e) in entries.iter().enumerate() {
        let shape: Vec<String> = e.shape.iter().map(|d| d.to_string()).collect();
        let _ = write!(
            s,
            "    {{\"file\": {}, \"monitor\": {}, \"kind\": {}, \"attribute\": {}, \"dtype\": {}, \"shape\": [{}], \"unit\": {}, \"meaning\": {}",
            json_str(&e.file),
            json_str(&e.monitor),
            json_str(e.kind),
            json_str(&e.attribute),
            json_str(e.dtype.descr()),
            shape.join(", "),
            json_str(&e.unit),
            json_str(&e.meaning)
        );
        if let Some(c) = &e.columns {
            let c: Vec<String> = c.iter().map(|d| d.to_string()).collect();
            let _ = write!(s, ", \"columns\": [{}]", c.join(", "));
        }
        s.push('}');
        if k + 1 < entries.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("  ]\n}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_aligned_and_round_trips() {
        let data = [0.1, -2.5, 1e-300, f64::NAN, 3.0, 4.0];
        let bytes = npy_f64(&[3, 2], &data);
        let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + hlen) % 64, 0);
        assert_eq!(bytes[10 + hlen - 1], b'\n');
        let back = read_npy(&bytes).expect("reads");
        assert_eq!(back.shape, vec![3, 2]);
        let NpyData::F64(v) = back.data else {
            panic!("dtype")
        };
        assert_eq!(v[..3], data[..3]);
        assert!(v[3].is_nan());
        let ints = read_npy(&npy_i64(&[2], &[7, -1])).expect("reads");
        assert_eq!(ints.shape, vec![2]);
        assert_eq!(ints.data, NpyData::I64(vec![7, -1]));
        let empty = read_npy(&npy_f64(&[0], &[])).expect("reads");
        assert_eq!(empty.shape, vec![0]);
    }
}
