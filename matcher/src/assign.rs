//! Maximum-weight assignment with capacities, exactly: min-cost flow by successive shortest
//! paths (Dijkstra with potentials), one request at a time.
//!
//! The network: source → each request (capacity 1); request → volunteer for each eligible
//! pair (capacity 1, cost `W − weight`); volunteer → sink through one arc per free slot
//! (capacity 1 each, cost `G − gain(slot)`, gains falling so slots fill in order); and
//! request → sink directly ("unmatched", cost `W + G`). Every request sends its one unit,
//! so the flow's cost is `n·(W + G) − total score`: the minimum cost is the maximum score.
//! All costs are ≥ 0, so potentials start at zero.
//!
//! Requests join one at a time. With the earlier ones routed at minimum cost, the minimum
//! for one more is the old flow plus a shortest path from the new request to the sink in
//! the residual network (the successive-shortest-path theorem with one new supply), which
//! may re-route earlier requests or leave one of them unmatched. Dijkstra stops as soon as
//! the sink is settled; only settled nodes' potentials change, which keeps every reduced
//! cost ≥ 0. Paths never continue through the sink, so an unmatched request is final.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NONE: u32 = u32::MAX;

/// A bipartite instance: `edges[offsets[r]..offsets[r + 1]]` are request `r`'s candidates
/// `(volunteer, weight)`; volunteer `v` has `slot_gains[slot_offsets[v]..slot_offsets[v + 1]]`,
/// one per free slot, non-increasing.
pub(crate) struct Instance<'a> {
    pub offsets: &'a [usize],
    pub edges: &'a [(u32, i64)],
    pub slot_offsets: &'a [usize],
    pub slot_gains: &'a [i64],
}

impl Instance<'_> {
    fn requests(&self) -> usize {
        self.offsets.len() - 1
    }

    fn volunteers(&self) -> usize {
        self.slot_offsets.len() - 1
    }

    fn capacity(&self, v: usize) -> u32 {
        // Slot counts are a volunteer's weekly tasks: far below u32::MAX.
        (self.slot_offsets[v + 1] - self.slot_offsets[v]) as u32
    }

    fn candidates(&self, r: usize) -> &[(u32, i64)] {
        &self.edges[self.offsets[r]..self.offsets[r + 1]]
    }
}

/// Where the shortest path reached the sink.
#[derive(Clone, Copy)]
enum End {
    /// Through request `r`'s "unmatched" arc.
    Unmatched(u32),
    /// Through volunteer `v`'s next free slot.
    Slot(u32),
}

/// For each request, the volunteer it gets in a maximum-weight assignment (or `None`).
pub(crate) fn solve(inst: &Instance<'_>) -> Vec<Option<u32>> {
    let (n, m) = (inst.requests(), inst.volunteers());
    let w_max = inst.edges.iter().map(|e| e.1).max().unwrap_or(0).max(0);
    let g_max = inst.slot_gains.iter().copied().max().unwrap_or(0).max(0);
    let edge_cost = |weight: i64| w_max - weight;
    let unmatched_cost = w_max + g_max;
    let slot_cost =
        |v: usize, slot: u32| g_max - inst.slot_gains[inst.slot_offsets[v] + slot as usize];

    let mut assigned = vec![NONE; n];
    let mut assigned_cost = vec![0i64; n];
    let mut holders: Vec<Vec<u32>> = vec![Vec::new(); m];
    let mut load = vec![0u32; m];
    let mut pot_r = vec![0i64; n];
    let mut pot_v = vec![0i64; m];

    // Per-search state, reset lazily by a generation stamp.
    let mut generation = 0u32;
    let mut seen_r = vec![0u32; n];
    let mut seen_v = vec![0u32; m];
    let mut done_r = vec![0u32; n];
    let mut done_v = vec![0u32; m];
    let mut dist_r = vec![0i64; n];
    let mut dist_v = vec![0i64; m];
    let mut pred_r = vec![NONE; n];
    let mut pred_v = vec![NONE; m];
    let mut pred_cost_v = vec![0i64; m];
    let mut settled: Vec<(u32, i64)> = Vec::new();
    // Nodes: requests are 0..n, volunteers n..n+m.
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();

    for source in 0..n {
        generation += 1;
        heap.clear();
        settled.clear();
        seen_r[source] = generation;
        dist_r[source] = 0;
        heap.push(Reverse((0, source as u32)));
        let mut best = i64::MAX;
        let mut end = End::Unmatched(source as u32);

        while let Some(Reverse((d, node))) = heap.pop() {
            if d >= best {
                break;
            }
            let node = node as usize;
            if node < n {
                let x = node;
                if done_r[x] == generation || d > dist_r[x] {
                    continue;
                }
                done_r[x] = generation;
                settled.push((node as u32, d));
                debug_assert!(unmatched_cost + pot_r[x] >= 0, "negative reduced cost");
                let to_sink = d + unmatched_cost + pot_r[x];
                if to_sink < best {
                    best = to_sink;
                    end = End::Unmatched(x as u32);
                }
                for &(v, weight) in inst.candidates(x) {
                    if v == assigned[x] {
                        continue;
                    }
                    let vi = v as usize;
                    let cost = edge_cost(weight);
                    let reduced = cost + pot_r[x] - pot_v[vi];
                    debug_assert!(reduced >= 0, "negative reduced cost on a request arc");
                    let nd = d + reduced;
                    if done_v[vi] != generation && (seen_v[vi] != generation || nd < dist_v[vi]) {
                        seen_v[vi] = generation;
                        dist_v[vi] = nd;
                        pred_v[vi] = x as u32;
                        pred_cost_v[vi] = cost;
                        heap.push(Reverse((nd, (n + vi) as u32)));
                    }
                }
            } else {
                let v = node - n;
                if done_v[v] == generation || d > dist_v[v] {
                    continue;
                }
                done_v[v] = generation;
                settled.push((node as u32, d));
                if load[v] < inst.capacity(v) {
                    let to_sink = d + slot_cost(v, load[v]) + pot_v[v];
                    if to_sink < best {
                        best = to_sink;
                        end = End::Slot(v as u32);
                    }
                }
                for &x in &holders[v] {
                    let xi = x as usize;
                    let reduced = -assigned_cost[xi] + pot_v[v] - pot_r[xi];
                    debug_assert!(reduced >= 0, "negative reduced cost on a return arc");
                    let nd = d + reduced;
                    if done_r[xi] != generation && (seen_r[xi] != generation || nd < dist_r[xi]) {
                        seen_r[xi] = generation;
                        dist_r[xi] = nd;
                        pred_r[xi] = v as u32;
                        heap.push(Reverse((nd, x)));
                    }
                }
            }
        }

        // Potentials: settled nodes move by their distance short of the sink's.
        for &(node, d) in &settled {
            let node = node as usize;
            if node < n {
                pot_r[node] -= best - d;
            } else {
                pot_v[node - n] -= best - d;
            }
        }

        // Augment along the path, walking back from the sink.
        let mut volunteer = match end {
            End::Slot(v) => {
                load[v as usize] += 1;
                v
            }
            End::Unmatched(x) => {
                let x = x as usize;
                let previous = assigned[x];
                assigned[x] = NONE;
                if previous == NONE {
                    continue; // the new request itself stays unmatched
                }
                holders[previous as usize].retain(|&h| h as usize != x);
                previous
            }
        };
        loop {
            let vi = volunteer as usize;
            let x = pred_v[vi] as usize;
            let previous = assigned[x];
            assigned[x] = volunteer;
            assigned_cost[x] = pred_cost_v[vi];
            holders[vi].push(x as u32);
            if x == source {
                break;
            }
            debug_assert_eq!(
                pred_r[x], previous,
                "a request is reached from its volunteer"
            );
            holders[previous as usize].retain(|&h| h as usize != x);
            volunteer = previous;
        }
    }
    if cfg!(debug_assertions) {
        certify(inst, &assigned, &assigned_cost, &load, &pot_r, &pot_v);
    }
    assigned
        .into_iter()
        .map(|v| (v != NONE).then_some(v))
        .collect()
}

/// Checks the optimality certificate: the potentials leave no residual arc with a negative
/// reduced cost, so no cycle can lower the cost (LP duality). Run in debug builds, i.e. by
/// every test, independently of how the search got there.
fn certify(
    inst: &Instance<'_>,
    assigned: &[u32],
    assigned_cost: &[i64],
    load: &[u32],
    pot_r: &[i64],
    pot_v: &[i64],
) {
    let w_max = inst.edges.iter().map(|e| e.1).max().unwrap_or(0).max(0);
    let g_max = inst.slot_gains.iter().copied().max().unwrap_or(0).max(0);
    let unmatched_cost = w_max + g_max;
    let slot_cost =
        |v: usize, slot: u32| g_max - inst.slot_gains[inst.slot_offsets[v] + slot as usize];
    for r in 0..inst.requests() {
        for &(v, weight) in inst.candidates(r) {
            let reduced = w_max - weight + pot_r[r] - pot_v[v as usize];
            if v == assigned[r] {
                assert_eq!(assigned_cost[r], w_max - weight);
                assert!(
                    -reduced >= 0,
                    "return arc {v} → {r} has a negative reduced cost"
                );
            } else {
                assert!(reduced >= 0, "arc {r} → {v} has a negative reduced cost");
            }
        }
        // The sink's potential stays 0.
        if assigned[r] == NONE {
            assert!(
                -unmatched_cost - pot_r[r] >= 0,
                "{r} should not be unmatched"
            );
        } else {
            assert!(unmatched_cost + pot_r[r] >= 0, "{r} should be unmatched");
        }
    }
    for (v, &used) in load.iter().enumerate() {
        if used < inst.capacity(v) {
            assert!(
                slot_cost(v, used) + pot_v[v] >= 0,
                "{v}'s free slot is cheaper"
            );
        }
        if used > 0 {
            assert!(
                -slot_cost(v, used - 1) - pot_v[v] >= 0,
                "{v}'s last slot is dearer"
            );
        }
    }
}
