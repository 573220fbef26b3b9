//! Search within the shown list (`/`, then `n`/`N`): unlike a filter it hides nothing,
//! it remembers which rows match so the cursor can jump between them.

/// The rows of the visible list that match a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// Positions in [`super::Session::visible`] that match, ascending.
    pub hits: Vec<usize>,
}

impl Search {
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    pub fn is_hit(&self, position: usize) -> bool {
        self.hits.binary_search(&position).is_ok()
    }

    /// The first hit after `position`, wrapping round to the first hit.
    pub fn next_from(&self, position: usize) -> Option<usize> {
        let i = self.hits.partition_point(|&h| h <= position);
        self.hits.get(i).or(self.hits.first()).copied()
    }

    /// The last hit before `position`, wrapping round to the last hit.
    pub fn prev_from(&self, position: usize) -> Option<usize> {
        let i = self.hits.partition_point(|&h| h < position);
        i.checked_sub(1).and_then(|i| self.hits.get(i)).or(self.hits.last()).copied()
    }

    /// Which hit `position` is (1-based) and how many there are, for "match 3/17".
    pub fn rank(&self, position: usize) -> Option<(usize, usize)> {
        self.hits.binary_search(&position).ok().map(|i| (i + 1, self.hits.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_and_prev_wrap_round() {
        let s = Search { query: "x".into(), hits: vec![2, 5, 9] };
        assert_eq!(s.next_from(0), Some(2));
        assert_eq!(s.next_from(2), Some(5));
        assert_eq!(s.next_from(9), Some(2));
        assert_eq!(s.prev_from(5), Some(2));
        assert_eq!(s.prev_from(2), Some(9));
        assert_eq!(s.prev_from(100), Some(9));
        assert_eq!(s.rank(5), Some((2, 3)));
        assert_eq!(Search::default().next_from(0), None);
    }
}
