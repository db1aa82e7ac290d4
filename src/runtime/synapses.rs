//! `Synapses`: connectivity, per-synapse state, pathways (`on_pre`/`on_post`) with delays.
//!
//! Synapse `s` connects presynaptic neuron `pre[s]` to postsynaptic neuron `post[s]` (absolute
//! indices in the source and target groups; a subgroup source adds its offset). Synapses are
//! numbered in creation order, as Brian2 numbers them. Each pathway owns a spike queue: in the
//! `synapses` slot of a step, the sources' spikes (ascending neuron, then ascending synapse) are
//! pushed to the slot `now + delay_steps`, then the current slot's synapses run the pathway code
//! in queue order (BRIAN2-SEMANTICS §6.3).

use crate::check::hir::Variable;
use crate::integrate::Method;
use crate::source::Span;
use crate::syntax::ast;
use rayon::prelude::*;
use std::sync::OnceLock;

/// A neuron group or a contiguous part of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupRange {
    /// The group index in the network.
    pub group: usize,
    /// First neuron.
    pub start: usize,
    /// One past the last neuron.
    pub stop: usize,
}

impl GroupRange {
    /// Number of neurons.
    pub fn len(&self) -> usize {
        self.stop - self.start
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.stop == self.start
    }
}

/// Which group's spikes trigger a pathway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathwaySide {
    /// `on_pre`: triggered by the source.
    Pre,
    /// `on_post`: triggered by the target.
    Post,
}

/// One pathway.
#[derive(Clone, Debug)]
pub struct Pathway {
    /// Its name: `pre`, `post`, or the key of an `on_pre`/`on_post` dictionary.
    pub name: String,
    /// Pre or post.
    pub side: PathwaySide,
    /// The event of the source group that triggers it (`spike`, or a custom event).
    pub event: String,
    /// The code.
    pub code: ast::Code,
    /// A homogeneous delay in seconds given to the constructor (`delay=`), else per-synapse.
    pub delay: Option<f64>,
    /// Spike queue: `queue[(now + d) % len]` holds synapses due `d` steps from now.
    pub queue: Vec<Vec<u32>>,
    /// Position of the current step in `queue`.
    pub head: usize,
}

impl Pathway {
    /// A pathway named `pre` or `post` (after its side) with an empty queue.
    pub fn new(side: PathwaySide, code: ast::Code, delay: Option<f64>) -> Pathway {
        let name = match side {
            PathwaySide::Pre => "pre",
            PathwaySide::Post => "post",
        };
        Pathway::named(name, side, code, delay)
    }

    /// A pathway named `name` with an empty queue.
    pub fn named(name: &str, side: PathwaySide, code: ast::Code, delay: Option<f64>) -> Pathway {
        Pathway {
            name: name.to_string(),
            side,
            event: "spike".to_string(),
            code,
            delay,
            queue: vec![Vec::new()],
            head: 0,
        }
    }

    /// Makes room for delays up to `max_steps`, keeping queued events.
    pub fn ensure_capacity(&mut self, max_steps: usize) {
        if self.queue.len() > max_steps {
            return;
        }
        let len = self.queue.len();
        let mut q = vec![Vec::new(); max_steps + 1];
        for d in 0..len {
            q[d] = std::mem::take(&mut self.queue[(self.head + d) % len]);
        }
        self.queue = q;
        self.head = 0;
    }

    /// Queues `syn` to run `d` steps from now.
    pub fn push(&mut self, syn: u32, d: usize) {
        let len = self.queue.len();
        self.queue[(self.head + d) % len].push(syn);
    }

    /// Moves this step's due synapses into `due` and advances the queue; the slot keeps
    /// `due`'s old buffer (emptied), so a queue in use stops allocating.
    pub fn pop_into(&mut self, due: &mut Vec<u32>) {
        due.clear();
        std::mem::swap(due, &mut self.queue[self.head]);
        self.head = (self.head + 1) % self.queue.len();
    }
}

/// A `Synapses` object.
#[derive(Clone, Debug)]
pub struct Synapses {
    /// Name (`synapses`, `synapses_1`, or `name=`).
    pub name: String,
    /// Source neurons.
    pub source: GroupRange,
    /// Target neurons.
    pub target: GroupRange,
    /// The model string's AST.
    pub model: ast::Model,
    /// Declared variables (plus `delay` and `lastupdate` where needed).
    pub variables: Vec<Variable>,
    /// Global column of each variable (`None` for subexpressions).
    pub columns: Vec<Option<usize>>,
    /// Presynaptic neuron of each synapse (absolute index in the source group); read it with
    /// [`Synapses::pre`]. While `pre_starts` describes it, it is made only when something
    /// reads it (a synaptic kernel using `i` or a presynaptic variable, a monitor of
    /// `N_outgoing`, a later `connect`): CUBA at N = 32,000 never does, which saves writing
    /// 82 MB. Only [`Synapses::append`] changes it or `pre_starts`.
    pub(crate) pre: OnceLock<Vec<u32>>,
    /// Postsynaptic neuron of each synapse (absolute index in the target group); read it with
    /// [`Synapses::post`].
    pub(crate) post: Vec<u32>,
    /// Where each source neuron's synapses start when `pre` is known to be in ascending order
    /// (`source.stop + 1` entries, the last being the number of synapses): filled by the
    /// first `connect` when it creates synapses row by row, which it knows without a scan.
    /// It saves the run three passes over `pre` (its sortedness twice, its rows once; ~30 ms
    /// at 20 M synapses), and `pre` itself until something reads it. `None`: not known, found
    /// by scanning where needed (and `pre` is then always made).
    pub(crate) pre_starts: Option<Vec<u32>>,
    /// `on_pre` / `on_post`.
    pub pathways: Vec<Pathway>,
    /// `S.run_regularly(...)` operations, in the order given.
    pub regular: Vec<crate::runtime::group::RegularOp>,
    /// Integration method of clock-driven equations.
    pub method: Option<Method>,
    /// Where it was created.
    pub span: Span,
    /// Number of `connect` calls so far (part of the random key of each call).
    pub connect_calls: u64,
    /// Columns of the network's TimedArrays (copied in before compiling).
    pub table_columns: Vec<usize>,
    /// Whether its kernels may read a table's current row (see `NeuronGroup::table_rows`).
    pub table_rows: bool,
    /// Its own time step (`Synapses(..., dt=...)`) for its clock-driven update; `None`: the
    /// default clock's.
    pub dt: Option<f64>,
    /// The order of its state updater in the `groups` slot (`order=`).
    pub order: i64,
    /// Global columns of `N_incoming` (one count per neuron of the whole target group) and
    /// `N_outgoing` (per neuron of the whole source group), updated after every `connect`.
    pub degree_columns: [usize; 2],
    /// Whether the per-synapse `delay` column may hold anything but zeros (something assigned
    /// to it). Until then the runtime does not read it: at 20 M synapses the read alone costs
    /// tens of milliseconds, faulting in pages that were never written.
    pub delay_written: bool,
}

/// New synapses in creation order: their presynaptic and postsynaptic neurons (absolute
/// indices in the source and target groups), as the two columns `Synapses` keeps.
#[derive(Debug, Default)]
pub(crate) struct NewSynapses {
    /// Empty when `rows` says it (`pre_values`).
    pub(crate) pre: Vec<u32>,
    pub(crate) post: Vec<u32>,
    /// When the synapses were made row by row: how many each source neuron got.
    pub(crate) rows: Option<RowCounts>,
    /// How many each target neuron got (indexed by absolute target index), counted while they
    /// were made; empty when not counted.
    pub(crate) in_degree: Vec<u32>,
}

/// The number of new synapses of each source neuron `first..first + counts.len()`, for a part
/// whose synapses are in that row order.
#[derive(Debug)]
pub(crate) struct RowCounts {
    pub(crate) first: usize,
    pub(crate) counts: Vec<u32>,
}

/// Row starts (see `Synapses::pre_starts`) of parts that all carry their row counts, in
/// ascending rows, for source neurons `0..stop`; `None` if some part does not.
fn row_starts(parts: &[NewSynapses], stop: usize) -> Option<Vec<u32>> {
    let mut starts = Vec::with_capacity(stop + 1);
    starts.push(0u32);
    let mut total = 0u32;
    for part in parts {
        let rows = part.rows.as_ref()?;
        if rows.first + 1 < starts.len() || rows.first + rows.counts.len() > stop {
            return None;
        }
        starts.resize(rows.first + 1, total);
        for &c in &rows.counts {
            total = total.checked_add(c)?;
            starts.push(total);
        }
    }
    starts.resize(stop + 1, total);
    Some(starts)
}

impl NewSynapses {
    /// The presynaptic neurons: `pre`, or made from the row counts when `pre` was left empty.
    pub(crate) fn pre_values(&self) -> std::borrow::Cow<'_, [u32]> {
        match &self.rows {
            Some(rows) if self.pre.len() != self.post.len() => std::borrow::Cow::Owned(
                repeat_rows(rows.first, rows.counts.iter().copied(), self.post.len()),
            ),
            _ => std::borrow::Cow::Borrowed(&self.pre),
        }
    }

    /// The (pre, post) pairs.
    pub(crate) fn pairs(&self) -> Vec<(u32, u32)> {
        let pre = self.pre_values();
        pre.iter().copied().zip(self.post.iter().copied()).collect()
    }
}

/// The presynaptic neuron of each of `len` synapses made row by row: neuron `first + k`
/// `counts[k]` times, in order.
fn repeat_rows(first: usize, counts: impl Iterator<Item = u32>, len: usize) -> Vec<u32> {
    let mut pre = Vec::with_capacity(len);
    for (k, c) in counts.enumerate() {
        pre.resize(pre.len() + c as usize, (first + k) as u32);
    }
    pre
}

/// The presynaptic neuron of each synapse from row starts (see `Synapses::pre_starts`).
fn pre_from_starts(starts: &[u32]) -> Vec<u32> {
    let len = starts.last().copied().unwrap_or(0) as usize;
    repeat_rows(0, starts.windows(2).map(|w| w[1] - w[0]), len)
}

impl From<Vec<(u32, u32)>> for NewSynapses {
    fn from(pairs: Vec<(u32, u32)>) -> NewSynapses {
        let (pre, post) = pairs.into_iter().unzip();
        NewSynapses {
            pre,
            post,
            rows: None,
            in_degree: Vec::new(),
        }
    }
}

/// Slices concatenated, each copied by a worker thread into its own part of a column
/// allocated zeroed: large zeroed allocations are mapped lazily, so their pages are first
/// touched, and faulted in, by the workers in parallel. (Copied on one thread, 20 M synapses
/// made building CUBA at N = 32,000 slower with 2 threads than with 1.)
fn concat_parallel(pool: &rayon::ThreadPool, parts: &[&[u32]]) -> Vec<u32> {
    let mut out = vec![0u32; parts.iter().map(|p| p.len()).sum()];
    let mut jobs = Vec::with_capacity(parts.len());
    let mut rest = &mut out[..];
    for part in parts {
        let (a, b) = std::mem::take(&mut rest).split_at_mut(part.len());
        rest = b;
        jobs.push((a, *part));
    }
    pool.install(|| jobs.into_par_iter().for_each(|(a, p)| a.copy_from_slice(p)));
    out
}

/// Slices concatenated: by `pool`'s threads when given, else on this one.
fn concat(pool: Option<&rayon::ThreadPool>, parts: &[&[u32]]) -> Vec<u32> {
    match pool {
        Some(pool) if parts.len() > 1 => concat_parallel(pool, parts),
        _ => parts.concat(),
    }
}

impl Synapses {
    /// Appends new synapses, given in parts in synapse order, to `pre` and `post` (the other
    /// columns are the caller's). The first connect of one part (the common case) moves its
    /// `post` in without a copy (tens of millions of entries in large networks) and, when its
    /// rows are counted, keeps only their starts for `pre`; several parts of a first connect
    /// are copied by `pool`'s threads when given, else on this one.
    pub(crate) fn append(&mut self, mut parts: Vec<NewSynapses>, pool: Option<&rayon::ThreadPool>) {
        if self.post.is_empty() {
            self.pre_starts = row_starts(&parts, self.source.stop);
            self.pre = match self.pre_starts {
                Some(_) => OnceLock::new(),
                None => {
                    let pre: Vec<_> = parts.iter().map(NewSynapses::pre_values).collect();
                    let pre: Vec<&[u32]> = pre.iter().map(|p| &p[..]).collect();
                    OnceLock::from(concat(pool, &pre))
                }
            };
            self.post = if parts.len() == 1 {
                parts.pop().unwrap_or_default().post
            } else {
                let post: Vec<&[u32]> = parts.iter().map(|p| &p.post[..]).collect();
                concat(pool, &post)
            };
            return;
        }
        let mut pre = match self.pre.take() {
            Some(pre) => pre,
            None => pre_from_starts(self.pre_starts.as_deref().unwrap_or(&[])),
        };
        self.pre_starts = None;
        for part in &parts {
            pre.extend_from_slice(&part.pre_values());
            self.post.extend_from_slice(&part.post);
        }
        self.pre = OnceLock::from(pre);
    }

    /// Presynaptic neuron of each synapse (absolute index in the source group), made from
    /// the row starts on first use where only they were kept.
    pub fn pre(&self) -> &[u32] {
        self.pre
            .get_or_init(|| pre_from_starts(self.pre_starts.as_deref().unwrap_or(&[])))
    }

    /// [`Synapses::pre`] if `needed`, else nothing (a kernel that does not read it gets an
    /// empty slice, so the column is not made for it).
    pub(crate) fn pre_if(&self, needed: bool) -> &[u32] {
        if needed {
            self.pre()
        } else {
            &[]
        }
    }

    /// Bytes held by the `pre` and `post` columns (4 per synapse each, `pre` only once made).
    pub fn index_bytes(&self) -> usize {
        4 * (self.post.len() + self.pre.get().map_or(0, Vec::len))
    }

    /// Postsynaptic neuron of each synapse (absolute index in the target group).
    pub fn post(&self) -> &[u32] {
        &self.post
    }

    /// True if `pre` is in ascending order (synapses grouped by source neuron).
    pub fn pre_in_order(&self) -> bool {
        self.pre_starts.is_some() || self.pre().is_sorted()
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.post.len()
    }

    /// True if no synapse exists.
    pub fn is_empty(&self) -> bool {
        self.post.is_empty()
    }

    /// Index of a variable by name.
    pub fn var_index(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name == name)
    }

    /// Global column of a variable.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.var_index(name).and_then(|k| self.columns[k])
    }
}

/// Synapses of each source neuron (or target neuron), in ascending synapse order: a compressed
/// row structure over `keys` (the `pre` or `post` array) for neurons `0..n`.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// `start[k]..start[k+1]` indexes `syns` for neuron `k`.
    pub start: Vec<u32>,
    /// Synapse indices; empty when `keys` was already in ascending order (synapses created
    /// row by row, as `connect` creates them from the source side): then neuron `k`'s
    /// synapses are `start[k]..start[k+1]` themselves, and the list would be `0, 1, 2, ...`.
    pub syns: Vec<u32>,
    /// Whether `syns` is left out (see above).
    pub in_order: bool,
}

impl Rows {
    /// Groups synapse indices by `keys[s]` (absolute neuron index) for neurons `0..n`.
    pub fn build(keys: &[u32], n: usize) -> Rows {
        if keys.is_sorted() {
            // Each neuron's row is where its key starts: a binary search per neuron instead of
            // a counting pass over every synapse (tens of millions in large networks).
            let start = (0..=n)
                .map(|k| keys.partition_point(|&x| (x as usize) < k) as u32)
                .collect();
            return Rows {
                start,
                syns: Vec::new(),
                in_order: true,
            };
        }
        let mut count = vec![0u32; n + 1];
        for &k in keys {
            count[k as usize + 1] += 1;
        }
        for k in 0..n {
            count[k + 1] += count[k];
        }
        let mut fill = count.clone();
        let mut syns = vec![0u32; keys.len()];
        for (s, &k) in keys.iter().enumerate() {
            syns[fill[k as usize] as usize] = s as u32;
            fill[k as usize] += 1;
        }
        Rows {
            start: count,
            syns,
            in_order: false,
        }
    }

    /// Synapses of neuron `k`, ascending.
    pub fn of(&self, k: usize) -> Row<'_> {
        let (a, b) = (self.start[k], self.start[k + 1]);
        if self.in_order {
            Row::Range(a..b)
        } else {
            Row::Listed(self.syns[a as usize..b as usize].iter())
        }
    }

    /// Rows of keys known to be in ascending order, from where each neuron's row starts for
    /// neurons `0..m` (`m + 1` entries, the last the number of keys), for neurons `0..n`
    /// (`m <= n`; the neurons past `m` have no keys).
    pub fn in_order(mut start: Vec<u32>, n: usize) -> Rows {
        let total = start.last().copied().unwrap_or(0);
        start.resize(n + 1, total);
        Rows {
            start,
            syns: Vec::new(),
            in_order: true,
        }
    }

    /// Bytes held per synapse (for the memory report): 4 unless the keys were in order.
    pub fn bytes_per_synapse(&self) -> usize {
        if self.in_order {
            0
        } else {
            4
        }
    }
}

/// The synapses of one neuron, from [`Rows::of`].
pub enum Row<'a> {
    /// Consecutive synapse numbers.
    Range(std::ops::Range<u32>),
    /// Listed synapse numbers.
    Listed(std::slice::Iter<'a, u32>),
}

impl Iterator for Row<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            Row::Range(r) => r.next(),
            Row::Listed(l) => l.next().copied(),
        }
    }
}

impl Row<'_> {
    /// Appends the row's synapse numbers to `out`: a block fill or copy instead of one
    /// iterator step per synapse, which shows when a spike reaches hundreds of synapses.
    pub fn append_to(self, out: &mut Vec<u32>) {
        match self {
            Row::Range(r) => out.extend(r),
            Row::Listed(l) => out.extend_from_slice(l.as_slice()),
        }
    }
}

/// Brian2's rounding of a delay to steps: `int(delay/dt + 0.5)`.
pub fn delay_steps(delay: f64, dt: f64) -> usize {
    (delay / dt + 0.5).floor().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_ascending_synapse_order() {
        let r = Rows::build(&[2, 0, 2, 1, 0], 3);
        assert!(!r.in_order);
        assert_eq!(r.of(0).collect::<Vec<_>>(), [1, 4]);
        let mut out = vec![9];
        r.of(0).append_to(&mut out);
        r.of(2).append_to(&mut out);
        assert_eq!(out, [9, 1, 4, 0, 2]);
        assert_eq!(r.of(1).collect::<Vec<_>>(), [3]);
        assert_eq!(r.of(2).collect::<Vec<_>>(), [0, 2]);
        // Keys in order (rows created one after the other): no list, the same rows.
        let r = Rows::build(&[0, 0, 2, 2, 2], 4);
        assert!(r.in_order && r.syns.is_empty());
        assert_eq!(r.of(0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(r.of(1).collect::<Vec<_>>(), Vec::<u32>::new());
        assert_eq!(r.of(2).collect::<Vec<_>>(), [2, 3, 4]);
        let mut out = vec![9];
        r.of(2).append_to(&mut out);
        r.of(1).append_to(&mut out);
        assert_eq!(out, [9, 2, 3, 4]);
        assert_eq!(r.of(3).collect::<Vec<_>>(), Vec::<u32>::new());
    }

    #[test]
    fn sorted_keys_give_the_counted_rows() {
        // Keys below n only (absolute indices of the group); rows of neurons past the last
        // key end at the number of synapses.
        let keys = [1, 1, 1, 4, 4, 6];
        let r = Rows::build(&keys, 8);
        assert!(r.in_order);
        assert_eq!(r.start, [0, 0, 3, 3, 3, 5, 5, 6, 6]);
        let empty = Rows::build(&[], 3);
        assert_eq!(empty.start, [0, 0, 0, 0]);
    }

    fn part(pre: &[u32], rows: Option<(usize, &[u32])>) -> NewSynapses {
        NewSynapses {
            pre: pre.to_vec(),
            post: vec![0; pre.len()],
            in_degree: Vec::new(),
            rows: rows.map(|(first, counts)| RowCounts {
                first,
                counts: counts.to_vec(),
            }),
        }
    }

    #[test]
    fn row_counts_give_the_rows_a_scan_would() {
        // Two parts made row by row (neurons 1..3 and 4..6 of a source ending at 7).
        let parts = [
            part(&[1, 1, 2], Some((1, &[2, 1]))),
            part(&[4, 4, 4, 5], Some((4, &[3, 1]))),
        ];
        let starts = row_starts(&parts, 7).expect("row counts");
        let keys: Vec<u32> = parts.iter().flat_map(|p| p.pre.clone()).collect();
        assert_eq!(starts, Rows::build(&keys, 7).start);
        assert_eq!(Rows::in_order(starts, 9).start, Rows::build(&keys, 9).start);
        // A part without counts, or parts out of row order: unknown.
        assert_eq!(row_starts(&[part(&[1, 1, 2], None)], 7), None);
        let swapped = [
            part(&[4, 4, 4, 5], Some((4, &[3, 1]))),
            part(&[1, 1, 2], Some((1, &[2, 1]))),
        ];
        assert_eq!(row_starts(&swapped, 7), None);
    }

    /// The network a script builds (no simulation).
    fn built(text: &str, threads: usize) -> crate::runtime::network::Network {
        let file = crate::source::SourceFile::new("rows.eq", text);
        let opts = crate::script::ScriptOptions {
            seed: Some(7),
            dry_run: true,
            threads,
            ..crate::script::ScriptOptions::default()
        };
        match crate::script::run_script(&file, &opts) {
            Ok(o) => o.network,
            Err(e) => panic!("{}", crate::diagnostics::render_all(&e.diagnostics, &file)),
        }
    }

    #[test]
    fn connect_knows_its_rows_without_a_scan() {
        let text = "G = NeuronGroup(1200, 'v : 1', threshold='v > 1')\n\
                    H = NeuronGroup(700, 'v : 1')\n\
                    S1 = Synapses(G, H, on_pre='v += 1')\n\
                    S1.connect(p=0.3)\n\
                    S2 = Synapses(G[100:900], H, on_pre='v += 1')\n\
                    S2.connect('i >= 50', p=0.05, n=2)\n\
                    S3 = Synapses(G, H, on_pre='v += 1')\n\
                    S3.connect('i != j', p=0.02)\n\
                    S4 = Synapses(G, H, on_pre='v += 1')\n\
                    S4.connect(i=[3, 1], j=[0, 0])\n\
                    S5 = Synapses(G, H, on_pre='v += 1')\n\
                    S5.connect('i < 500', p=0.01)\n\
                    S5.connect('i >= 500', p=0.01)\n\
                    S6 = Synapses(G[:40], H[600:], on_pre='v += 1')\n\
                    S6.connect('i % 3 == 0', p=1.0, n=2)\n";
        // With 3 threads S1 (252,000 expected pairs) is made in parts on the workers.
        for threads in [1, 3] {
            let net = built(text, threads);
            let known: Vec<bool> = net
                .synapses
                .iter()
                .map(|s| s.pre_starts.is_some())
                .collect();
            assert_eq!(
                known,
                [true, true, true, false, false, true],
                "{threads} threads"
            );
            for s in &net.synapses {
                assert!(!s.is_empty(), "{}", s.name);
                // Rows made one after the other keep only their starts until `pre` is read
                // (nothing in this dry run reads it).
                assert_eq!(s.pre.get().is_none(), s.pre_starts.is_some(), "{}", s.name);
                assert_eq!(s.pre().len(), s.len(), "{}", s.name);
                // N_incoming / N_outgoing (counted while connecting, or by a scan) are the
                // numbers of synapses of each target / source neuron.
                let [incoming, outgoing] = s.degree_columns;
                for (column, keys) in [(incoming, s.post()), (outgoing, s.pre())] {
                    let mut counts = vec![0.0; net.columns[column].len()];
                    for &k in keys {
                        counts[k as usize] += 1.0;
                    }
                    assert_eq!(net.columns[column].to_vec(), counts, "{}", s.name);
                }
                if let Some(starts) = &s.pre_starts {
                    assert_eq!(
                        starts,
                        &Rows::build(s.pre(), s.source.stop).start,
                        "{}",
                        s.name
                    );
                    assert!(s.pre_in_order());
                }
            }
            assert!(!net.synapses[3].pre_in_order());
            // Sorted, but the second connect's rows are not counted: found by a scan.
            assert!(net.synapses[4].pre_in_order());
        }
    }

    #[test]
    fn a_delay_of_some_steps_is_a_comparison() {
        // `Network::delays_of` tests `d/dt + 0.5 >= 1` for `delay_steps(d, dt) > 0`.
        let dt = 1e-4;
        for d in [
            0.0,
            -0.0,
            -1e-3,
            0.04e-3,
            0.049_999e-3,
            0.05e-3,
            0.05e-3 - 1e-20,
            0.15e-3,
            1e-3,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e300,
        ] {
            assert_eq!(delay_steps(d, dt) > 0, d / dt + 0.5 >= 1.0, "{d}");
        }
    }

    #[test]
    fn delays_round_half_up_in_float() {
        // BRIAN2-SEMANTICS §6.3: 0.05 ms → 1 step, 0.04 ms → 0, 0.15 ms / 0.1 ms = 1.4999… → 1.
        assert_eq!(delay_steps(0.05e-3, 1e-4), 1);
        assert_eq!(delay_steps(0.04e-3, 1e-4), 0);
        assert_eq!(delay_steps(0.15e-3, 1e-4), 1);
        assert_eq!(delay_steps(1e-3, 1e-4), 10);
    }

    #[test]
    fn queue_wraps_and_grows() {
        let mut p = Pathway::new(PathwaySide::Pre, ast::Code::default(), None);
        p.ensure_capacity(2);
        p.push(7, 2);
        p.push(3, 0);
        let mut due = vec![99];
        p.pop_into(&mut due);
        assert_eq!(due, [3]);
        p.ensure_capacity(5);
        p.pop_into(&mut due);
        assert_eq!(due, Vec::<u32>::new());
        p.pop_into(&mut due);
        assert_eq!(due, [7]);
        // The slots got the emptied buffers back: nothing is due again.
        for _ in 0..5 {
            p.pop_into(&mut due);
            assert!(due.is_empty());
        }
    }
}
