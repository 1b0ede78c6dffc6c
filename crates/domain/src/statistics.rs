//! Anonymised statistics (匿名加工情報 / 統計): tables of counts in which no published
//! cell describes fewer than `k` people, and no hidden cell can be worked out from the
//! published cells and totals.
//!
//! How a table is made safe (`protect`):
//! 1. Primary suppression: every count from 1 to k−1 is hidden, cells and totals alike
//!    (zero describes no one and is shown).
//! 2. Complementary suppression: each published sum (a row total over its cells, a
//!    column total over its cells, the grand total over the row or column totals) is
//!    an equation; an equation with exactly one hidden term would give it away, so a
//!    second term is hidden (the smallest non-zero one), until no equation has exactly
//!    one hidden term.
//! 3. A table whose grand total is below k is not published at all.
//!
//! Who is counted and which items are read is `crate::disclosure` (the statistics
//! part); what tables exist is [`Kind`].
use serde::{Deserialize, Serialize};

/// The smallest number of people a published cell may describe (the default of
/// `statistics_k`; LAW.md APPI-22: a dated legal threshold, kept as one value).
pub const K: u32 = 5;

/// The tables that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Hires by prefecture (rows) and disability category (columns; several categories
    /// count as "multiple", so each person is counted once).
    HiresByDisability,
    /// People hired at least six months ago by the accommodation they registered
    /// (rows; a person counts in each of theirs), retained or not at six months.
    RetentionByAccommodation,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Self::HiresByDisability, Self::RetentionByAccommodation];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HiresByDisability => "hires_by_disability",
            Self::RetentionByAccommodation => "retention_by_accommodation",
        }
    }
    /// Whether columns add up over rows (each person in one row): only then are the
    /// column totals and the grand total published.
    pub fn rows_partition(self) -> bool {
        matches!(self, Self::HiresByDisability)
    }
}

/// A count as published: the number, or hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Cell {
    /// `None` when hidden (秘匿).
    pub count: Option<u32>,
}

/// A table of counts before protection: `cells[r][c]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub kind: Kind,
    /// Row keys (e.g. prefecture codes, accommodation codes).
    pub rows: Vec<String>,
    /// Column keys (e.g. disability categories, retained / left).
    pub cols: Vec<String>,
    pub cells: Vec<Vec<u32>>,
}

/// A protected table, ready to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Table {
    pub kind: Kind,
    pub k: u32,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
    /// One per row.
    pub row_totals: Vec<Cell>,
    /// One per column; empty where a person can be in several rows.
    pub col_totals: Vec<Cell>,
    /// `None` where a person can be in several rows.
    pub total: Option<Cell>,
}

/// Which counts are hidden, as the algorithm works: interior cells, row totals, column
/// totals and the grand total.
struct Hidden {
    cells: Vec<Vec<bool>>,
    rows: Vec<bool>,
    cols: Vec<bool>,
}

fn small(n: u32, k: u32) -> bool {
    n > 0 && n < k
}

/// Hides one more term of an equation that has exactly one hidden: the smallest
/// non-zero shown term (a zero is no cover: it describes no one). Returns whether
/// anything changed. `terms`: (value, hidden) of each term, the sum among them or not.
fn cover(terms: &mut [(u32, &mut bool)]) -> bool {
    let hidden = terms.iter().filter(|(_, h)| **h).count();
    if hidden != 1 {
        return false;
    }
    let pick = terms
        .iter_mut()
        .filter(|(v, h)| !**h && *v > 0)
        .min_by_key(|(v, _)| *v);
    match pick {
        Some((_, h)) => {
            **h = true;
            true
        }
        None => false,
    }
}

/// Protects a table with threshold `k` (see the module's description).
pub fn protect(t: &Counts, k: u32) -> Option<Table> {
    let (nr, nc) = (t.rows.len(), t.cols.len());
    let row_sum: Vec<u32> = t.cells.iter().map(|r| r.iter().sum()).collect();
    let col_sum: Vec<u32> = (0..nc)
        .map(|c| t.cells.iter().map(|r| r[c]).sum())
        .collect();
    let total: u32 = row_sum.iter().sum();
    let partition = t.kind.rows_partition();
    if partition && total < k {
        return None;
    }
    let mut h = Hidden {
        cells: t
            .cells
            .iter()
            .map(|r| r.iter().map(|&n| small(n, k)).collect())
            .collect(),
        rows: row_sum.iter().map(|&n| small(n, k)).collect(),
        cols: col_sum.iter().map(|&n| small(n, k)).collect(),
    };
    loop {
        let mut changed = false;
        // Each row: its total is the sum of its cells.
        for (r, (hidden_row, hidden_total)) in h.cells.iter_mut().zip(h.rows.iter_mut()).enumerate()
        {
            let mut terms: Vec<(u32, &mut bool)> = t.cells[r]
                .iter()
                .copied()
                .zip(hidden_row.iter_mut())
                .collect();
            terms.push((row_sum[r], hidden_total));
            changed |= cover(&mut terms);
        }
        if partition {
            // Each column: its total is the sum of its cells.
            for c in 0..nc {
                let mut terms: Vec<(u32, &mut bool)> = Vec::new();
                for (r, row) in h.cells.iter_mut().enumerate() {
                    terms.push((t.cells[r][c], &mut row[c]));
                }
                terms.push((col_sum[c], &mut h.cols[c]));
                changed |= cover(&mut terms);
            }
            // The grand total is the sum of the row totals, and of the column totals.
            let mut terms: Vec<(u32, &mut bool)> =
                row_sum.iter().copied().zip(h.rows.iter_mut()).collect();
            changed |= cover(&mut terms);
            let mut terms: Vec<(u32, &mut bool)> =
                col_sum.iter().copied().zip(h.cols.iter_mut()).collect();
            changed |= cover(&mut terms);
        }
        if !changed {
            break;
        }
    }
    let cell = |n: u32, hidden: bool| Cell {
        count: (!hidden).then_some(n),
    };
    Some(Table {
        kind: t.kind,
        k,
        rows: t.rows.clone(),
        cols: t.cols.clone(),
        cells: (0..nr)
            .map(|r| {
                (0..nc)
                    .map(|c| cell(t.cells[r][c], h.cells[r][c]))
                    .collect()
            })
            .collect(),
        row_totals: (0..nr).map(|r| cell(row_sum[r], h.rows[r])).collect(),
        col_totals: if partition {
            (0..nc).map(|c| cell(col_sum[c], h.cols[c])).collect()
        } else {
            Vec::new()
        },
        total: partition.then_some(cell(total, false)),
    })
}

/// The key of the "several categories" column.
pub const MULTIPLE: &str = "multiple";
/// The key of the row of people with no prefecture registered.
pub const UNKNOWN: &str = "unknown";
/// The columns of the retention table.
pub const RETAINED: &str = "retained";
pub const LEFT: &str = "left";

/// A person's column in the hires table: their one category, or "multiple".
pub fn category_column(categories: &[crate::profile::DisabilityCategory]) -> Option<String> {
    match categories {
        [] => None,
        [one] => Some(one.as_str().to_owned()),
        _ => Some(MULTIPLE.to_owned()),
    }
}

/// The items a release says it holds (APPI 43条3項: published on creation).
pub fn items(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::HiresByDisability => &["prefecture", "disability_category", "hires"],
        Kind::RetentionByAccommodation => &["accommodation", "retained_6_months"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(kind: Kind, cells: Vec<Vec<u32>>) -> Counts {
        Counts {
            kind,
            rows: (0..cells.len()).map(|r| format!("r{r}")).collect(),
            cols: (0..cells[0].len()).map(|c| format!("c{c}")).collect(),
            cells,
        }
    }

    /// Every assignment of non-negative counts to the hidden cells and totals that
    /// agrees with everything published: a hidden count is safe when it can take at
    /// least two values (nothing pins it down from the totals).
    fn pinned(t: &Counts, p: &Table) -> Vec<String> {
        let (nr, nc) = (t.rows.len(), t.cols.len());
        let bound: u32 = t.cells.iter().flatten().sum::<u32>().max(1);
        // The unknowns: hidden interior cells (the totals follow from them).
        let unknown: Vec<(usize, usize)> = (0..nr)
            .flat_map(|r| (0..nc).map(move |c| (r, c)))
            .filter(|&(r, c)| p.cells[r][c].count.is_none())
            .collect();
        // Each unknown is at most its row's or column's published total.
        let bounds: Vec<u32> = unknown
            .iter()
            .map(|&(r, c)| {
                let col = p.col_totals.get(c).and_then(|t| t.count);
                [p.row_totals[r].count, col]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(bound)
            })
            .collect();
        let mut seen: Vec<std::collections::BTreeSet<u32>> =
            vec![Default::default(); unknown.len()];
        let mut vals = vec![0u32; unknown.len()];
        loop {
            let mut grid: Vec<Vec<u32>> = (0..nr)
                .map(|r| (0..nc).map(|c| p.cells[r][c].count.unwrap_or(0)).collect())
                .collect();
            for (i, &(r, c)) in unknown.iter().enumerate() {
                grid[r][c] = vals[i];
            }
            let rows_ok = (0..nr).all(|r| {
                p.row_totals[r]
                    .count
                    .is_none_or(|n| grid[r].iter().sum::<u32>() == n)
            });
            let cols_ok = p.col_totals.iter().enumerate().all(|(c, t)| {
                t.count
                    .is_none_or(|n| grid.iter().map(|row| row[c]).sum::<u32>() == n)
            });
            let total_ok = p.total.is_none_or(|t| {
                t.count
                    .is_none_or(|n| grid.iter().flatten().sum::<u32>() == n)
            });
            if rows_ok && cols_ok && total_ok {
                for (i, v) in vals.iter().enumerate() {
                    seen[i].insert(*v);
                }
            }
            // Next assignment (odometer).
            let mut i = 0;
            loop {
                if i == vals.len() {
                    return unknown
                        .iter()
                        .zip(&seen)
                        .filter(|(_, s)| s.len() < 2)
                        .map(|((r, c), _)| format!("r{r}c{c}"))
                        .collect();
                }
                vals[i] += 1;
                if vals[i] <= bounds[i] {
                    break;
                }
                vals[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn small_cells_are_hidden_with_a_cover_in_every_line() {
        let t = counts(
            Kind::HiresByDisability,
            vec![vec![6, 2, 0], vec![7, 8, 5], vec![0, 9, 1]],
        );
        let p = protect(&t, 5).unwrap();
        // 2 and 1 are hidden; no published count is 1–4.
        assert_eq!(p.cells[0][1].count, None);
        assert_eq!(p.cells[2][2].count, None);
        for c in p
            .cells
            .iter()
            .flatten()
            .chain(&p.row_totals)
            .chain(&p.col_totals)
        {
            assert!(c.count.is_none_or(|n| n == 0 || n >= 5), "{c:?}");
        }
        // Nothing hidden is pinned down by the published totals.
        assert_eq!(pinned(&t, &p), Vec::<String>::new(), "{p:?}");
        assert_eq!(p.total, Some(Cell { count: Some(38) }));
    }

    #[test]
    fn a_hidden_cell_is_never_the_only_one_of_its_row_or_column() {
        for cells in [
            vec![vec![3, 10], vec![10, 10]],
            vec![vec![1, 0, 0], vec![0, 6, 7], vec![5, 5, 5]],
            vec![vec![5, 5, 5, 2], vec![6, 6, 6, 6]],
            vec![vec![4], vec![9], vec![9]],
        ] {
            let t = counts(Kind::HiresByDisability, cells.clone());
            let p = protect(&t, 5).unwrap();
            assert_eq!(pinned(&t, &p), Vec::<String>::new(), "{cells:?} → {p:?}");
        }
        // Fewer than k people in all: nothing is published.
        assert!(protect(&counts(Kind::HiresByDisability, vec![vec![2, 2]]), 5).is_none());
    }

    #[test]
    fn retention_rows_hide_both_parts_when_one_is_small() {
        let t = counts(
            Kind::RetentionByAccommodation,
            vec![vec![7, 2], vec![6, 5], vec![3, 0]],
        );
        let p = protect(&t, 5).unwrap();
        assert_eq!(p.cells[0], vec![Cell { count: None }, Cell { count: None }]);
        assert_eq!(p.row_totals[0].count, Some(9));
        assert_eq!(p.cells[1][0].count, Some(6));
        // 3 of 3 retained: the row total is small, so it and its 3 are hidden (the 0
        // alone shows no one).
        assert_eq!(p.row_totals[2].count, None);
        assert_eq!(p.cells[2][0].count, None);
        assert!(p.col_totals.is_empty() && p.total.is_none());
        assert_eq!(pinned(&t, &p), Vec::<String>::new());
    }
}
