//! Overlapping and paired hits of one unit: which hit stands, which merges into a partner.
use super::Hit;
use crate::finding::Category;
use std::collections::BTreeMap;

/// When two secret rules match overlapping text (a generic `token = "..."` rule and the provider's
/// own), keep the more specific one: a checksum beats a shape, a provider rule beats a `generic`
/// one, then the match that needed more surrounding context wins, then the earlier rule.
pub(super) fn drop_overlaps(hits: &mut [Hit<'_>]) {
    let score = |h: &Hit<'_>| {
        (
            u8::from(h.rule.checksum.is_some()) * 2 + u8::from(!h.rule.generic),
            h.context,
        )
    };
    // Best first (ties: the earlier hit), each kept unless it overlaps a hit already kept. Kept
    // spans never overlap, so a map by start answers "does this span touch one?" in log time:
    // n log n, where comparing every pair was quadratic in the hits of a file (#11).
    let mut order: Vec<usize> = (0..hits.len())
        .filter(|&i| hits[i].rule.category == Category::Secret && !hits[i].merged)
        .collect();
    order.sort_by(|&i, &j| (score(&hits[j]), i).cmp(&(score(&hits[i]), j)));
    let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
    for i in order {
        let (start, end) = (hits[i].start, hits[i].end);
        // The kept span starting last before `end` is the only one that can reach past `start`.
        let overlaps = kept
            .range(..end)
            .next_back()
            .is_some_and(|(_, &kept_end)| kept_end > start);
        if overlaps {
            hits[i].merged = true;
        } else {
            kept.insert(start, end);
        }
    }
}

/// Merges a pair (an AWS secret key and its key ID nearby) into one finding on the pairing rule.
/// Each hit takes the nearest unmerged partner (ties: the earlier hit); partners are looked up by
/// line in an ordered set per rule, so many hits cost n log n rather than all pairs (#11).
pub(super) fn pair_hits(hits: &mut [Hit<'_>]) {
    use std::collections::{BTreeSet, HashMap};
    let wanted: std::collections::HashSet<&str> = hits
        .iter()
        .filter_map(|h| h.rule.pair.as_ref().map(|(o, _)| o.as_str()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut free: HashMap<String, BTreeSet<(u32, usize)>> = HashMap::new();
    for (j, h) in hits.iter().enumerate() {
        if !h.merged && wanted.contains(h.rule.id.as_str()) {
            free.entry(h.rule.id.clone())
                .or_default()
                .insert((h.line, j));
        }
    }
    for i in 0..hits.len() {
        let Some((other, within)) = hits[i].rule.pair.clone() else {
            continue;
        };
        if hits[i].merged {
            continue;
        }
        let Some(set) = free.get_mut(&other) else {
            continue;
        };
        let line = hits[i].line;
        // A hit is never its own partner.
        let own = set.remove(&(line, i));
        // Nearest line at or below, and above; at one line the earliest hit.
        let below = set
            .range(..=(line, usize::MAX))
            .next_back()
            .and_then(|&(l, _)| set.range((l, 0)..).next().copied());
        let above = set.range((line.saturating_add(1), 0)..).next().copied();
        let partner = match (below, above) {
            (Some(b), Some(a)) => {
                let (db, da) = (line - b.0, a.0 - line);
                Some(if (db, b.1) <= (da, a.1) { b } else { a })
            }
            (b, a) => b.or(a),
        };
        if own {
            set.insert((line, i));
        }
        if let Some((l, j)) = partner.filter(|&(l, _)| l.abs_diff(line) <= within) {
            set.remove(&(l, j));
            let ids = std::mem::take(&mut hits[j].identifiers);
            hits[i].identifiers.extend(ids);
            hits[j].merged = true;
        }
    }
}
