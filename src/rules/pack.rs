//! The built-in rule files as `build.rs` parsed them: a table of TOML values with their byte spans,
//! deserialized straight into [`RuleFile`], so a run parses no TOML for the built-in rules (#15).
//! The spans are the TOML parser's own, so `Spanned` fields, origins and any error's file and line
//! are what parsing the text would give.
use super::spec::{CoachingSpec, RuleFile};
use super::{BUILTIN_PACK_NODES, BUILTIN_PACK_ROOTS, BUILTIN_PACK_STRS};
use serde::de::value::{BorrowedStrDeserializer, Error};
use serde::de::{self, Deserialize, IntoDeserializer, Visitor};

// Node tags, as build.rs writes them.
const STR: u32 = 0;
const INT: u32 = 1;
const FLOAT: u32 = 2;
const BOOL: u32 = 3;
const ARRAY: u32 = 4;
const TABLE: u32 = 5;

/// Built-in file `index` (of `BUILTIN_RULE_FILES`) from the table, when build.rs could put it
/// there and `text` is the text it was built from (its length, a cheap guard against a stale
/// table). `None` means: parse the text.
///
/// `lean`: without the rules' examples and references, which only `coach rules` reads: a third of
/// the table's strings, allocated on every scan otherwise (#15).
pub(super) fn builtin_file(
    index: usize,
    text: &str,
    lean: bool,
) -> Option<Result<RuleFile, Error>> {
    let &(root, len) = BUILTIN_PACK_ROOTS.get(index)?;
    if root == u32::MAX || len != text.len() {
        return None;
    }
    let read = if lean { Read::Lean } else { Read::Full };
    Some(RuleFile::deserialize(Node(root as usize, read)))
}

/// The coaching table for `kind` of built-in file `index`, read in full: what a lean read left
/// hollow, once its kind has a finding to coach. `None`: not in the table (parse the text).
pub(super) fn builtin_coaching(index: usize, kind: &str) -> Option<Result<CoachingSpec, Error>> {
    let &(root, _) = BUILTIN_PACK_ROOTS.get(index)?;
    if root == u32::MAX {
        return None;
    }
    let entry = |table: Node, key: &str| {
        (table.tag() == TABLE)
            .then(|| table.children().step_by(2))
            .into_iter()
            .flatten()
            .find(|&k| Node(k, Read::Full).str() == key)
            .map(|k| Node(k + 1, Read::Full))
    };
    let coaching = entry(Node(root as usize, Read::Full), "coaching")?;
    Some(CoachingSpec::deserialize(entry(coaching, kind)?))
}

/// The rule fields a lean read leaves out (they default to empty).
const LEAN_SKIPS: [&str; 4] = [
    "examples",
    "negative-examples",
    "weak-examples",
    "references",
];

/// How much of a value is read.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    Full,
    /// Without the rules' examples and references; coaching tables hollow.
    Lean,
    /// Strings read as empty, arrays and tables as having nothing: the shape without the text,
    /// allocating nothing (a coaching table, until its kind has a finding).
    Hollow,
}

/// One value of the table, and how it is read.
#[derive(Clone, Copy)]
struct Node(usize, Read);

/// The optional fields of a coaching table, left out of a hollow read (a `verified` date is
/// checked when the table is read in full: `coach rules check`, the test suite).
const HOLLOW_SKIPS: [&str; 2] = ["verified", "machine"];

impl Node {
    fn field(self, k: usize) -> u32 {
        let at = self.0 * 20 + k * 4;
        let b = &BUILTIN_PACK_NODES[at..at + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn tag(self) -> u32 {
        self.field(0)
    }

    fn span(self) -> std::ops::Range<usize> {
        self.field(3) as usize..self.field(4) as usize
    }

    fn str(self) -> &'static str {
        let (at, len) = (self.field(1) as usize, self.field(2) as usize);
        &BUILTIN_PACK_STRS[at..at + len]
    }

    fn bits(self) -> u64 {
        u64::from(self.field(1)) | (u64::from(self.field(2)) << 32)
    }

    /// The nodes of an array (its elements) or a table (key, value, key, value, ...).
    fn children(self) -> std::ops::Range<usize> {
        let (first, n) = (self.field(1) as usize, self.field(2) as usize);
        let n = if self.tag() == TABLE { 2 * n } else { n };
        first..first + n
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// An array's elements or a table's entries, in order, values read as `read`; `skip`: keys whose
/// entries are passed over.
struct Children {
    nodes: std::ops::Range<usize>,
    read: Read,
    skip: &'static [&'static str],
}

impl Children {
    fn of(node: Node, read: Read, skip: &'static [&'static str]) -> Self {
        Children {
            // A hollow array or table has nothing in it.
            nodes: if node.1 == Read::Hollow {
                0..0
            } else {
                node.children()
            },
            read,
            skip,
        }
    }
}

impl<'de> de::SeqAccess<'de> for Children {
    type Error = Error;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.nodes
            .next()
            .map(|i| seed.deserialize(Node(i, self.read)))
            .transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.nodes.len())
    }
}

impl<'de> de::MapAccess<'de> for Children {
    type Error = Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let Some(i) = self.nodes.next() {
            let key = Node(i, Read::Full);
            if key.tag() == STR && self.skip.contains(&key.str()) {
                self.nodes.next();
                continue;
            }
            return seed.deserialize(key).map(Some);
        }
        Ok(None)
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let i = self
            .nodes
            .next()
            .ok_or_else(|| de::Error::custom("a key without a value"))?;
        seed.deserialize(Node(i, self.read))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.nodes.len() / 2)
    }
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.tag() {
            STR if self.1 == Read::Hollow => visitor.visit_borrowed_str(""),
            STR => visitor.visit_borrowed_str(self.str()),
            INT => visitor.visit_i64(self.bits() as i64),
            FLOAT => visitor.visit_f64(f64::from_bits(self.bits())),
            BOOL => visitor.visit_bool(self.field(1) != 0),
            ARRAY => visitor.visit_seq(Children::of(self, self.1, &[])),
            TABLE => visitor.visit_map(Children::of(self, self.1, &[])),
            t => Err(de::Error::custom(format!("unknown node tag {t}"))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // A key that is present has a value: TOML has no null.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if serde_spanned::de::is_spanned(name) {
            let span = self.span();
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, span));
        }
        if self.1 == Read::Lean && self.tag() == TABLE {
            // A rule (the one struct with examples), read lean: its examples are passed over.
            if fields.contains(&"negative-examples") {
                return visitor.visit_map(Children::of(self, Read::Lean, &LEAN_SKIPS));
            }
            // A coaching table (the one struct with a console path), read hollow.
            if fields.contains(&"revoke-console") {
                return visitor.visit_map(Children::of(self, Read::Hollow, &HOLLOW_SKIPS));
            }
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.tag() {
            // A unit variant written as its name, the only form rule files use; anything else
            // fails here and the file is parsed from its text, which says exactly what is wrong.
            STR => visitor.visit_enum(BorrowedStrDeserializer::new(self.str())),
            _ => Err(de::Error::custom("expected a string")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in file reads the same from the table as from its text: the same values and
    /// the same spans (so the same origins and error positions).
    #[test]
    fn the_table_matches_parsing_the_text() {
        assert_eq!(
            BUILTIN_PACK_ROOTS.len(),
            super::super::BUILTIN_RULE_FILES.len()
        );
        for (i, (name, text)) in super::super::BUILTIN_RULE_FILES.iter().enumerate() {
            let parsed: Result<RuleFile, _> = toml::from_str(text);
            let Ok(parsed) = parsed else {
                // A broken built-in file is reported from its text, never read from the table.
                assert!(
                    !matches!(builtin_file(i, text, false), Some(Ok(_))),
                    "{name}"
                );
                continue;
            };
            let packed = builtin_file(i, text, false)
                .unwrap_or_else(|| panic!("{name}: not in the table"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{packed:?}"), format!("{parsed:?}"), "{name}");
        }
    }

    /// A lean read is the full read without the rules' examples and references and with hollow
    /// coaching tables, nothing else; a hollow table reads in full by its kind.
    #[test]
    fn a_lean_read_leaves_out_only_examples_and_references() {
        let mut left_out = 0;
        for (i, (name, text)) in super::super::BUILTIN_RULE_FILES.iter().enumerate() {
            let (Some(Ok(mut full)), Some(Ok(lean))) =
                (builtin_file(i, text, false), builtin_file(i, text, true))
            else {
                continue;
            };
            for r in &mut full.rule {
                left_out += r.examples.len() + r.negative_examples.len() + r.references.len();
                r.examples.clear();
                r.negative_examples.clear();
                r.weak_examples.clear();
                r.references.clear();
            }
            // Coaching tables are hollow (keys and spans kept, no text), and read in full by kind.
            for (kind, c) in &mut full.coaching {
                let read = builtin_coaching(i, kind).expect(name).expect(name);
                assert_eq!(
                    format!("{read:?}"),
                    format!("{:?}", c.get_ref()),
                    "{name}: {kind}"
                );
                let spec = c.get_mut();
                for s in [
                    &mut spec.title,
                    &mut spec.why,
                    &mut spec.revoke_console,
                    &mut spec.audit,
                    &mut spec.store,
                    &mut spec.replace,
                ] {
                    left_out += usize::from(!s.is_empty());
                    s.clear();
                }
                spec.revoke_cli.clear();
                spec.docs.clear();
                spec.machine = None;
                spec.verified = None;
            }
            assert_eq!(format!("{lean:?}"), format!("{full:?}"), "{name}");
        }
        assert!(left_out > 3000, "{left_out}");
    }

    #[test]
    fn a_stale_table_is_not_used() {
        let (_, text) = super::super::BUILTIN_RULE_FILES[0];
        assert!(builtin_file(0, &format!("{text}\n"), false).is_none());
        assert!(builtin_file(usize::MAX, text, false).is_none());
    }
}
