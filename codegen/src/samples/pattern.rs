//! Strings that match a `pattern`, for the subset of ECMA-262 regular expressions real specs use:
//! literals, escapes (`\d \w \s \.`), `.`, classes with ranges and negation, groups (also `(?:`)
//! with `|`, the quantifiers `* + ? {n} {n,} {n,m}` (lazy or not), the anchors `^ $`, and negative
//! look-ahead `(?!..)` (Oxide's names: "not a UUID"), kept by generating again until the string
//! passes it. Anything else (look-behind, `(?=`, back-references, `\p{..}`, `\b`) is reported as
//! unsupported, so the caller can say so instead of sending a string that does not match.

use super::rng::Rng;

/// Why a pattern cannot be generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

#[derive(Debug, Clone)]
enum Node {
    /// One of these inclusive ranges (or, negated, a printable ASCII character outside them).
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Node>>),
    /// `node{min,max}`; `max` is `None` when unbounded.
    Repeat(Box<Node>, u32, Option<u32>),
    /// `^`, `$`: nothing to write.
    Anchor(Anchor),
    /// `(?!alternatives)`: nothing to write; what follows must not match them.
    NotAhead(Vec<Vec<Node>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    End,
}

/// How many strings are made before a negative look-ahead is given up on.
const ATTEMPTS: usize = 64;

/// How many times an unbounded quantifier repeats at most beyond its minimum.
const UNBOUNDED_EXTRA: u64 = 3;

/// A string matching `pattern`, or why none can be made.
#[cfg(test)]
pub fn generate(pattern: &str, rng: &mut Rng) -> Result<String, Unsupported> {
    generate_sized(pattern, 0, None, rng)
}

/// A string matching `pattern` of `min..=max` characters where the pattern can be written in
/// that many (GitHub's commit SHA: `^[0-9a-fA-F]+$` with `minLength`/`maxLength` 40): the
/// quantifiers repeat as often as the length needs, not a few times at random. Lengths the
/// pattern cannot reach are left to the caller's check.
pub fn generate_sized(
    pattern: &str,
    min: usize,
    max: Option<usize>,
    rng: &mut Rng,
) -> Result<String, Unsupported> {
    let nodes = parse(pattern)?;
    let (lo, hi) = seq_width(&nodes);
    let want = |rng: &mut Rng| {
        if min == 0 && max.is_none() {
            return None;
        }
        let from = min.max(lo);
        let to = [max, hi]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(from + 8)
            .min(from + 8);
        (from <= to).then(|| from + rng.below((to - from + 1) as u64) as usize)
    };
    for _ in 0..ATTEMPTS {
        let mut out = String::new();
        let mut checks = Vec::new();
        let target = want(rng);
        write_seq(&nodes, target, rng, &mut out, &mut checks);
        let chars: Vec<char> = out.chars().collect();
        if checks
            .iter()
            .all(|(at, alts)| !matches_at(alts, &chars, *at))
        {
            return Ok(out);
        }
    }
    Err(Unsupported(format!(
        "no string outside its negative look-ahead in {ATTEMPTS} tries"
    )))
}

/// Whether the pattern is in the supported subset.
#[cfg(test)]
pub fn supported(pattern: &str) -> bool {
    parse(pattern).is_ok()
}

/// The fewest and most characters `node` writes (`None`: no most).
fn width(node: &Node) -> (usize, Option<usize>) {
    match node {
        Node::Anchor(_) | Node::NotAhead(_) => (0, Some(0)),
        Node::Class { .. } => (1, Some(1)),
        Node::Group(alternatives) => {
            let widths: Vec<_> = alternatives.iter().map(|a| seq_width(a)).collect();
            let lo = widths.iter().map(|w| w.0).min().unwrap_or(0);
            let hi = widths.iter().try_fold(0, |m, w| w.1.map(|h| h.max(m)));
            (lo, hi)
        }
        Node::Repeat(inner, min, max) => {
            let (lo, hi) = width(inner);
            let hi = match (hi, max) {
                (Some(0), _) => Some(0),
                (Some(h), Some(m)) => Some(h * *m as usize),
                _ => None,
            };
            (lo * *min as usize, hi)
        }
    }
}

fn seq_width(seq: &[Node]) -> (usize, Option<usize>) {
    seq.iter().fold((0, Some(0)), |(lo, hi), n| {
        let (l, h) = width(n);
        (lo + l, hi.zip(h).map(|(a, b)| a + b))
    })
}

/// Writes `seq`, `want` characters of it when given (as near as its parts allow): each part gets
/// a share the parts after it can make up the rest of.
fn write_seq<'n>(
    seq: &'n [Node],
    want: Option<usize>,
    rng: &mut Rng,
    out: &mut String,
    checks: &mut Vec<(usize, &'n [Vec<Node>])>,
) {
    let Some(mut left) = want else {
        for node in seq {
            write(node, None, rng, out, checks);
        }
        return;
    };
    for (i, node) in seq.iter().enumerate() {
        let (lo, hi) = width(node);
        let (rest_lo, rest_hi) = seq_width(&seq[i + 1..]);
        let from = lo.max(rest_hi.map_or(0, |r| left.saturating_sub(r)));
        let to = hi.unwrap_or(usize::MAX).min(left.saturating_sub(rest_lo));
        let share = if from <= to {
            from + rng.below((to - from + 1) as u64) as usize
        } else {
            lo
        };
        let before = out.chars().count();
        write(node, Some(share), rng, out, checks);
        left = left.saturating_sub(out.chars().count() - before);
    }
}

/// Writes a string for `node` (of `want` characters when given and the node allows it); each
/// negative look-ahead goes to `checks` with the position (in characters) the rest of the
/// string must not match it at.
fn write<'n>(
    node: &'n Node,
    want: Option<usize>,
    rng: &mut Rng,
    out: &mut String,
    checks: &mut Vec<(usize, &'n [Vec<Node>])>,
) {
    match node {
        Node::Anchor(_) => {}
        Node::NotAhead(alternatives) => checks.push((out.chars().count(), alternatives)),
        Node::Class { ranges, negated } => out.push(pick_char(ranges, *negated, rng)),
        Node::Group(alternatives) => {
            // An alternative that can be written in `want` characters, if one can.
            let fits: Vec<&Vec<Node>> = alternatives
                .iter()
                .filter(|a| {
                    want.is_none_or(|w| {
                        let (lo, hi) = seq_width(a);
                        lo <= w && hi.is_none_or(|h| w <= h)
                    })
                })
                .collect();
            let pool: Vec<&Vec<Node>> = if fits.is_empty() {
                alternatives.iter().collect()
            } else {
                fits
            };
            let alt = pool[rng.below(pool.len() as u64) as usize];
            write_seq(alt, want, rng, out, checks);
        }
        Node::Repeat(inner, min, max) => {
            let (min, max) = (u64::from(*min), max.map(u64::from));
            let times = match want {
                None => {
                    let max = max.unwrap_or(min + UNBOUNDED_EXTRA);
                    rng.range(min, max.min(min + 8))
                }
                Some(w) => {
                    // As many times as `w` characters take, within the quantifier's bounds.
                    let (lo, hi) = width(inner);
                    let fewest = hi
                        .filter(|h| *h > 0)
                        .map_or(min, |h| (w.div_ceil(h)) as u64);
                    let most = (w / lo.max(1)) as u64;
                    let t = if fewest <= most {
                        fewest + rng.below(most - fewest + 1)
                    } else {
                        most
                    };
                    t.clamp(min, max.unwrap_or(u64::MAX).max(min))
                }
            };
            let mut left = want.unwrap_or(0);
            for k in 0..times {
                let share = want.map(|_| left / (times - k) as usize);
                let before = out.chars().count();
                write(inner, share, rng, out, checks);
                left = left.saturating_sub(out.chars().count() - before);
            }
        }
    }
}

/// Whether one of `alternatives` matches `s` from character `i` (to any end), backtracking.
fn matches_at(alternatives: &[Vec<Node>], s: &[char], i: usize) -> bool {
    match_alternatives(alternatives, s, i, &mut |_| true)
}

fn match_alternatives(
    alternatives: &[Vec<Node>],
    s: &[char],
    i: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    alternatives.iter().any(|seq| match_seq(seq, s, i, then))
}

fn match_seq(seq: &[Node], s: &[char], i: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
    match seq.split_first() {
        None => then(i),
        Some((first, rest)) => match_node(first, s, i, &mut |j| match_seq(rest, s, j, then)),
    }
}

fn match_node(node: &Node, s: &[char], i: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
    match node {
        Node::Anchor(Anchor::Start) => i == 0 && then(i),
        Node::Anchor(Anchor::End) => i == s.len() && then(i),
        Node::NotAhead(alternatives) => !matches_at(alternatives, s, i) && then(i),
        Node::Class { ranges, negated } => {
            i < s.len()
                && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&s[i])) != *negated
                && then(i + 1)
        }
        Node::Group(alternatives) => match_alternatives(alternatives, s, i, then),
        Node::Repeat(inner, min, max) => repeat(inner, *min, *max, 0, s, i, then),
    }
}

/// `inner` repeated `min..=max` times from `i`, greedily (`count` done so far).
fn repeat(
    inner: &Node,
    min: u32,
    max: Option<u32>,
    count: u32,
    s: &[char],
    i: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    let more = max.is_none_or(|m| count < m)
        && match_node(inner, s, i, &mut |j| {
            j != i && repeat(inner, min, max, count + 1, s, j, then)
        });
    more || (count >= min && then(i))
}

fn pick_char(ranges: &[(char, char)], negated: bool, rng: &mut Rng) -> char {
    if negated {
        // Printable ASCII outside the ranges; letters first so the result stays readable.
        let pool: Vec<char> = ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(" -_.".chars())
            .filter(|c| !ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(c)))
            .collect();
        return pool
            .get(rng.below(pool.len() as u64) as usize)
            .copied()
            .unwrap_or('~');
    }
    let sizes: Vec<u64> = ranges
        .iter()
        .map(|(lo, hi)| u64::from(*hi as u32 - *lo as u32) + 1)
        .collect();
    let mut k = rng.below(sizes.iter().sum());
    for ((lo, _), size) in ranges.iter().zip(&sizes) {
        if k < *size {
            return char::from_u32(*lo as u32 + k as u32).unwrap_or(*lo);
        }
        k -= size;
    }
    ranges.first().map_or('a', |r| r.0)
}

fn parse(pattern: &str) -> Result<Vec<Node>, Unsupported> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let alternatives = parse_alternatives(&chars, &mut pos)?;
    if pos != chars.len() {
        return Err(Unsupported(format!("unbalanced `)` at {pos}")));
    }
    Ok(vec![Node::Group(alternatives)])
}

fn parse_alternatives(chars: &[char], pos: &mut usize) -> Result<Vec<Vec<Node>>, Unsupported> {
    let mut alternatives = vec![Vec::new()];
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            ')' => break,
            '|' => {
                *pos += 1;
                alternatives.push(Vec::new());
            }
            _ => {
                let atom = parse_atom(chars, pos)?;
                let atom = parse_quantifier(chars, pos, atom)?;
                alternatives.last_mut().expect("one at least").push(atom);
            }
        }
    }
    Ok(alternatives)
}

fn parse_atom(chars: &[char], pos: &mut usize) -> Result<Node, Unsupported> {
    let c = chars[*pos];
    *pos += 1;
    Ok(match c {
        '^' => Node::Anchor(Anchor::Start),
        '$' => Node::Anchor(Anchor::End),
        '.' => Node::Class {
            ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
            negated: false,
        },
        '(' => {
            let mut negative = false;
            if chars.get(*pos) == Some(&'?') {
                match chars.get(*pos + 1) {
                    Some(':') => *pos += 2,
                    Some('!') => {
                        *pos += 2;
                        negative = true;
                    }
                    _ => return Err(Unsupported("look-around or named group `(?`".into())),
                }
            }
            let alternatives = parse_alternatives(chars, pos)?;
            if chars.get(*pos) != Some(&')') {
                return Err(Unsupported("unclosed group".into()));
            }
            *pos += 1;
            if negative {
                Node::NotAhead(alternatives)
            } else {
                Node::Group(alternatives)
            }
        }
        '[' => parse_class(chars, pos)?,
        '\\' => {
            let ranges = escape(chars, pos)?;
            Node::Class {
                ranges,
                negated: false,
            }
        }
        '*' | '+' | '?' | '{' => {
            return Err(Unsupported(format!(
                "quantifier `{c}` with nothing before it"
            )))
        }
        other => Node::Class {
            ranges: vec![(other, other)],
            negated: false,
        },
    })
}

/// After a `\`: the characters the escape stands for.
fn escape(chars: &[char], pos: &mut usize) -> Result<Vec<(char, char)>, Unsupported> {
    let Some(&c) = chars.get(*pos) else {
        return Err(Unsupported("trailing `\\`".into()));
    };
    *pos += 1;
    Ok(match c {
        'd' => vec![('0', '9')],
        'w' => vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
        's' => vec![(' ', ' ')],
        'n' => vec![('\n', '\n')],
        't' => vec![('\t', '\t')],
        'D' => vec![('a', 'z')],
        'W' => vec![('-', '-')],
        'S' => vec![('a', 'z')],
        'u' => {
            let hex: String = chars.iter().skip(*pos).take(4).collect();
            let code = u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| Unsupported(format!("escape `\\u{hex}`")))?;
            *pos += 4;
            vec![(code, code)]
        }
        c if c.is_ascii_alphanumeric() => {
            return Err(Unsupported(format!("escape `\\{c}`")));
        }
        other => vec![(other, other)],
    })
}

fn parse_class(chars: &[char], pos: &mut usize) -> Result<Node, Unsupported> {
    let negated = chars.get(*pos) == Some(&'^');
    if negated {
        *pos += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(*pos) else {
            return Err(Unsupported("unclosed `[`".into()));
        };
        if c == ']' && !first {
            *pos += 1;
            break;
        }
        first = false;
        *pos += 1;
        let lo_set = if c == '\\' {
            escape(chars, pos)?
        } else {
            vec![(c, c)]
        };
        let is_range = chars.get(*pos) == Some(&'-')
            && chars.get(*pos + 1).is_some_and(|n| *n != ']')
            && lo_set.len() == 1
            && lo_set[0].0 == lo_set[0].1;
        if is_range {
            *pos += 1;
            let h = chars[*pos];
            *pos += 1;
            let hi = if h == '\\' {
                let set = escape(chars, pos)?;
                set[0].0
            } else {
                h
            };
            let lo = lo_set[0].0;
            if hi < lo {
                return Err(Unsupported(format!("range `{lo}-{hi}` out of order")));
            }
            ranges.push((lo, hi));
        } else {
            ranges.extend(lo_set);
        }
    }
    Ok(Node::Class { ranges, negated })
}

fn parse_quantifier(chars: &[char], pos: &mut usize, atom: Node) -> Result<Node, Unsupported> {
    let Some(&c) = chars.get(*pos) else {
        return Ok(atom);
    };
    let (min, max) = match c {
        '*' => (0, None),
        '+' => (1, None),
        '?' => (0, Some(1)),
        '{' => {
            let end = chars[*pos..]
                .iter()
                .position(|c| *c == '}')
                .ok_or_else(|| Unsupported("unclosed `{`".into()))?;
            let body: String = chars[*pos + 1..*pos + end].iter().collect();
            let number = |s: &str| {
                s.trim()
                    .parse::<u32>()
                    .map_err(|_| Unsupported(format!("quantifier `{{{body}}}`")))
            };
            let bounds = match body.split_once(',') {
                None => {
                    let n = number(&body)?;
                    (n, Some(n))
                }
                Some((lo, "")) => (number(lo)?, None),
                Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
            };
            *pos += end;
            bounds
        }
        _ => return Ok(atom),
    };
    *pos += 1;
    if chars.get(*pos) == Some(&'?') {
        *pos += 1; // lazy: the same strings match
    }
    if matches!(atom, Node::Anchor(_) | Node::NotAhead(_)) {
        return Ok(atom);
    }
    Ok(Node::Repeat(Box::new(atom), min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(p: &str, seed: u64) -> String {
        generate(p, &mut Rng::new(seed)).unwrap_or_else(|e| panic!("{p}: {e:?}"))
    }

    #[test]
    fn simple_patterns_match() {
        type Check = fn(&str) -> bool;
        let cases: &[(&str, Check)] = &[
            ("^[a-z]{3}$", |s| {
                s.len() == 3 && s.bytes().all(|b| b.is_ascii_lowercase())
            }),
            ("^\\d{4}-\\d{2}$", |s| s.len() == 7 && &s[4..5] == "-"),
            ("^(foo|bar)+$", |s| !s.is_empty() && s.len() % 3 == 0),
            ("^[^/]+$", |s| !s.is_empty() && !s.contains('/')),
            ("^sk_[A-Za-z0-9_]{2,5}$", |s| {
                s.starts_with("sk_") && (5..=8).contains(&s.len())
            }),
            ("^a?b*$", |s| {
                s.trim_start_matches('a').bytes().all(|b| b == b'b')
            }),
            ("^\\.x\\-$", |s| s == ".x-"),
            // Oxide's `Name`: not a UUID, then a lower-case name.
            (
                "^(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}$)^[a-z][a-z0-9-]*$",
                |s| s.bytes().next().is_some_and(|b| b.is_ascii_lowercase()),
            ),
            ("^(?!ab)[ab]{2}$", |s| s.len() == 2 && s != "ab"),
        ];
        for (p, ok) in cases {
            for seed in 0..20 {
                let s = gen(p, seed);
                assert!(ok(&s), "{p} gave {s:?}");
            }
        }
    }

    #[test]
    fn lengths_are_reached() {
        let cases: &[(&str, usize, Option<usize>)] = &[
            ("^[0-9a-fA-F]+$", 40, Some(40)),
            ("^[a-z]{2,100}$", 60, Some(64)),
            ("^(foo|ba)+$", 9, Some(9)),
            ("^sk_[A-Za-z0-9_]*$", 20, None),
            ("^(?![0-9a-f]{8}$)[a-z][a-z0-9-]*[a-z]$", 30, Some(30)),
        ];
        for (p, min, max) in cases {
            for seed in 0..20 {
                let s = generate_sized(p, *min, *max, &mut Rng::new(seed)).unwrap();
                let n = s.chars().count();
                assert!(n >= *min && max.is_none_or(|m| n <= m), "{p} gave {s:?}");
                let chars: Vec<char> = s.chars().collect();
                let nodes = parse(p).unwrap();
                assert!(
                    match_seq(&nodes, &chars, 0, &mut |j| j == chars.len()),
                    "{p} gave {s:?}"
                );
            }
        }
    }

    #[test]
    fn unsupported_constructs_are_named() {
        for p in ["(?=a)b", "(a)\\1", "\\p{L}+", "\\bword"] {
            assert!(!supported(p), "{p}");
        }
        assert!(supported("[-a-z_]+"));
    }
}
