//! The fixed C ABI between the runtime and compiled kernels: [`KernelArgs`], and the checks that
//! make a [`KernelData`] safe to hand to compiled code.
//!
//! A compiled kernel is `extern "C" fn(*mut KernelArgs)`. [`KernelArgs`] is built from the safe
//! [`KernelData`] at the boundary (in `JitKernel::run`) after `check_fits` has verified every
//! index the compiled code will *not* check itself; the compiled code checks the rest (indices
//! read from `list`, `pre` and `post`) and reports a failure in [`KernelArgs::status`]. Together
//! the two guarantee that no memory outside the caller's slices is touched, and that exactly the
//! data the interpreter would reject (with a panic) is rejected. This module must not contain
//! `unsafe`: it only lays out and checks.

use super::analysis::Usage;
use crate::backend::KernelData;
use crate::lower::ir::Domain;
use std::mem::offset_of;

/// The argument block of a compiled kernel; the only thing it receives.
///
/// Pointers are valid for the duration of one call. Lengths are element counts. All integers are
/// 64-bit so that the layout is the same on every 64-bit host (the JIT refuses other hosts).
#[repr(C)]
#[derive(Debug)]
pub struct KernelArgs {
    /// One base pointer per entry of `Kernel::columns`, in order (`KernelData::columns[c]`).
    pub columns: *const *mut f64,
    /// `columns[c] - base` for each column (computed with wrapping arithmetic, never
    /// dereferenced as such): element `e` of an `Elem`-indexed column is at
    /// `elem_columns[c] + e`, one addressing mode in the loop.
    pub elem_columns: *const *mut f64,
    /// The length of each column, in the same order; compiled code compares `pre[e]`, `post[e]`
    /// and listed elements against these.
    pub column_lens: *const u64,
    /// `KernelData::scalars` (at least `Kernel::scalars.len()` values).
    pub scalars: *const f64,
    /// `KernelData::pre`.
    pub pre: *const u32,
    /// `KernelData::pre.len()`.
    pub pre_len: u64,
    /// `KernelData::post`.
    pub post: *const u32,
    /// `KernelData::post.len()`.
    pub post_len: u64,
    /// `KernelData::list` (at least `end` entries when `start < end` in a `List` kernel).
    pub list: *const u32,
    /// First element (`Range`) or list position (`List`).
    pub start: u64,
    /// One past the last element or list position; the loop does nothing if `start >= end`.
    pub end: u64,
    /// Subtracted from `e` for `Elem`-indexed access.
    pub base: u64,
    /// The clock's step (random key).
    pub step: u64,
    /// The simulation seed (random key).
    pub seed: u64,
    /// The first free slot of the spike vector; room for `(end - start) * n_emit` values, where
    /// `n_emit` is the number of `EmitSpike` statements in the body.
    pub spikes: *mut u32,
    /// Out: how many spikes the kernel wrote at `spikes`.
    pub spike_count: u64,
    /// Out: [`STATUS_OK`], or [`STATUS_OUT_OF_BOUNDS`] if an index read from `list`, `pre` or
    /// `post` fell outside its target; the kernel then stopped before that element.
    pub status: u64,
    /// Out: zero times every value the kernel stored (that could be non-finite): NaN if some
    /// stored value was infinite or NaN, else zero.
    pub stored_probe: f64,
}

/// [`KernelArgs::status`]: the kernel ran to the end.
pub const STATUS_OK: u64 = 0;
/// [`KernelArgs::status`]: the kernel stopped at an out-of-bounds element index.
pub const STATUS_OUT_OF_BOUNDS: u64 = 1;

/// Byte offsets of the [`KernelArgs`] fields, as Cranelift load/store offsets.
pub(super) mod offset {
    use super::*;

    /// Converts an offset (a few dozen bytes) to Cranelift's `Offset32` input.
    const fn o(x: usize) -> i32 {
        x as i32
    }

    pub const COLUMNS: i32 = o(offset_of!(KernelArgs, columns));
    pub const ELEM_COLUMNS: i32 = o(offset_of!(KernelArgs, elem_columns));
    pub const COLUMN_LENS: i32 = o(offset_of!(KernelArgs, column_lens));
    pub const SCALARS: i32 = o(offset_of!(KernelArgs, scalars));
    pub const PRE: i32 = o(offset_of!(KernelArgs, pre));
    pub const PRE_LEN: i32 = o(offset_of!(KernelArgs, pre_len));
    pub const POST: i32 = o(offset_of!(KernelArgs, post));
    pub const POST_LEN: i32 = o(offset_of!(KernelArgs, post_len));
    pub const LIST: i32 = o(offset_of!(KernelArgs, list));
    pub const START: i32 = o(offset_of!(KernelArgs, start));
    pub const END: i32 = o(offset_of!(KernelArgs, end));
    pub const BASE: i32 = o(offset_of!(KernelArgs, base));
    pub const STEP: i32 = o(offset_of!(KernelArgs, step));
    pub const SEED: i32 = o(offset_of!(KernelArgs, seed));
    pub const SPIKES: i32 = o(offset_of!(KernelArgs, spikes));
    pub const SPIKE_COUNT: i32 = o(offset_of!(KernelArgs, spike_count));
    pub const STATUS: i32 = o(offset_of!(KernelArgs, status));
    pub const STORED_PROBE: i32 = o(offset_of!(KernelArgs, stored_probe));
}

/// What `check_fits` needs to know about a compiled kernel.
#[derive(Clone, Debug)]
pub(super) struct Layout {
    /// The kernel's name, for panic messages.
    pub name: String,
    /// `Kernel::domain`.
    pub domain: Domain,
    /// `Kernel::columns.len()`.
    pub n_columns: usize,
    /// `Kernel::scalars.len()`.
    pub n_scalars: usize,
    /// The body's summary.
    pub usage: Usage,
}

/// Panics, with the message the interpreter's slice indexing would imply, unless `data` has the
/// kernel's shape and every index that compiled code uses *without* checking it is in bounds:
/// column and scalar counts always (the prologue reads scalars even for an empty loop); and,
/// when the loop is not empty, `Elem` columns over `start..end` and `pre`/`post` up to `end` in
/// a `Range` kernel, the list up to `end` in a `List` kernel, and cell 0 of `Shared` columns.
pub(super) fn check_fits(layout: &Layout, data: &KernelData<'_>) {
    let name = &layout.name;
    assert_eq!(
        data.columns.len(),
        layout.n_columns,
        "kernel `{name}` expects {} columns, got {}",
        layout.n_columns,
        data.columns.len()
    );
    assert!(
        data.scalars.len() >= layout.n_scalars,
        "kernel `{name}` expects {} scalars, got {}",
        layout.n_scalars,
        data.scalars.len()
    );
    if data.start >= data.end {
        return;
    }
    let usage = &layout.usage;
    for (c, (col, modes)) in data.columns.iter().zip(&usage.modes).enumerate() {
        assert!(
            !modes.shared || !col.is_empty(),
            "kernel `{name}`: shared column c{c} is empty"
        );
        if layout.domain == Domain::Range && modes.elem {
            assert!(
                data.start >= data.base && data.end - data.base <= col.len(),
                "kernel `{name}`: elements {}..{} (base {}) exceed column c{c} of length {}",
                data.start,
                data.end,
                data.base,
                col.len()
            );
        }
    }
    match layout.domain {
        Domain::Range => {
            assert!(
                !usage.uses_pre || data.end <= data.pre.len(),
                "kernel `{name}`: elements up to {} exceed `pre` of length {}",
                data.end,
                data.pre.len()
            );
            assert!(
                !usage.uses_post || data.end <= data.post.len(),
                "kernel `{name}`: elements up to {} exceed `post` of length {}",
                data.end,
                data.post.len()
            );
        }
        Domain::List => assert!(
            data.end <= data.list.len(),
            "kernel `{name}`: positions up to {} exceed the element list of length {}",
            data.end,
            data.list.len()
        ),
    }
}
