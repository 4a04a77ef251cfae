//! The built-in rule files as `build.rs` parsed them: a table of TOML values with their byte spans,
//! deserialized straight into [`RuleFile`], so a run parses no TOML for the built-in rules (#15).
//! The spans are the TOML parser's own, so `Spanned` fields, origins and any error's file and line
//! are what parsing the text would give.
use super::spec::RuleFile;
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
pub(super) fn builtin_file(index: usize, text: &str) -> Option<Result<RuleFile, Error>> {
    let &(root, len) = BUILTIN_PACK_ROOTS.get(index)?;
    if root == u32::MAX || len != text.len() {
        return None;
    }
    Some(RuleFile::deserialize(Node(root as usize)))
}

/// One value of the table.
#[derive(Clone, Copy)]
struct Node(usize);

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

/// An array's elements or a table's entries, in order.
struct Children(std::ops::Range<usize>);

impl<'de> de::SeqAccess<'de> for Children {
    type Error = Error;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|i| seed.deserialize(Node(i))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

impl<'de> de::MapAccess<'de> for Children {
    type Error = Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        self.0.next().map(|i| seed.deserialize(Node(i))).transpose()
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let i = self
            .0
            .next()
            .ok_or_else(|| de::Error::custom("a key without a value"))?;
        seed.deserialize(Node(i))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len() / 2)
    }
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.tag() {
            STR => visitor.visit_borrowed_str(self.str()),
            INT => visitor.visit_i64(self.bits() as i64),
            FLOAT => visitor.visit_f64(f64::from_bits(self.bits())),
            BOOL => visitor.visit_bool(self.field(1) != 0),
            ARRAY => visitor.visit_seq(Children(self.children())),
            TABLE => visitor.visit_map(Children(self.children())),
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
        let _ = fields;
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
                assert!(!matches!(builtin_file(i, text), Some(Ok(_))), "{name}");
                continue;
            };
            let packed = builtin_file(i, text)
                .unwrap_or_else(|| panic!("{name}: not in the table"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{packed:?}"), format!("{parsed:?}"), "{name}");
        }
    }

    #[test]
    fn a_stale_table_is_not_used() {
        let (_, text) = super::super::BUILTIN_RULE_FILES[0];
        assert!(builtin_file(0, &format!("{text}\n")).is_none());
        assert!(builtin_file(usize::MAX, text).is_none());
    }
}
