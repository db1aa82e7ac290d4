//! Ordering subexpressions by their mutual dependencies (BRIAN2-SEMANTICS §1.3): a topological
//! sort, ties broken by name, and the cycle to name when there is none.

/// Orders nodes `0..deps.len()` so that each comes after the nodes it depends on; among nodes
/// that are ready at the same time the one with the smallest name goes first. Returns the order
/// of every node that does not depend on a cycle, and one cycle (as a closed path of nodes
/// `a -> b -> a`) if there is any.
pub(crate) fn topological(names: &[&str], deps: &[Vec<usize>]) -> (Vec<usize>, Option<Vec<usize>>) {
    let n = deps.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    loop {
        let ready = (0..n)
            .filter(|&k| !placed[k] && deps[k].iter().all(|&d| placed[d] && d != k))
            .min_by_key(|&k| names[k]);
        match ready {
            Some(k) => {
                placed[k] = true;
                order.push(k);
            }
            None => break,
        }
    }
    let cycle = (0..n)
        .find(|&k| !placed[k])
        .map(|start| find_cycle(start, deps, &placed));
    (order, cycle)
}

/// Follows unplaced dependencies from `start` until a node repeats; returns that closed path.
fn find_cycle(start: usize, deps: &[Vec<usize>], placed: &[bool]) -> Vec<usize> {
    let mut path = vec![start];
    let mut cur = start;
    loop {
        // Every unplaced node has at least one unplaced dependency (else it would be ready).
        let Some(&next) = deps[cur].iter().find(|&&d| !placed[d]) else {
            return path;
        };
        if let Some(pos) = path.iter().position(|&p| p == next) {
            let mut cycle = path.split_off(pos);
            cycle.push(next);
            return cycle;
        }
        path.push(next);
        cur = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_dependency_then_name() {
        // c depends on b, b on nothing, a on c.
        let names = ["a", "b", "c"];
        let deps = vec![vec![2], vec![], vec![1]];
        let (order, cycle) = topological(&names, &deps);
        assert_eq!(order, vec![1, 2, 0]);
        assert!(cycle.is_none());
    }

    #[test]
    fn finds_cycles_including_self_loops() {
        let names = ["x", "y", "z"];
        let deps = vec![vec![], vec![2], vec![1]];
        let (order, cycle) = topological(&names, &deps);
        assert_eq!(order, vec![0]);
        assert_eq!(cycle, Some(vec![1, 2, 1]));
        let (_, cycle) = topological(&["s"], &[vec![0]]);
        assert_eq!(cycle, Some(vec![0, 0]));
    }
}
