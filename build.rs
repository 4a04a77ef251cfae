//! Embeds every `rules/*.toml` file into the binary, so an installed `coach` needs no data files,
//! and parses each one here, once, into a table of values (`src/rules/pack.rs` reads it): a run
//! deserializes the built-in rules from that table and parses no TOML (#15).
//!
//! Only the TOML syntax is handled here; what the values mean is checked at run time by the same
//! code that checks a user's rule file, so the two can never disagree. A file this script cannot
//! put in the table (a syntax error, a date) is left out of it and parsed from its text at run
//! time, where the error is reported with its file, line and column as before.
use std::{env, fs, path::Path};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

// One node: five little-endian u32 (tag, a, b, span start, span end), as `src/rules/pack.rs` reads.
const STR: u32 = 0; // a: offset in the string pool, b: length
const INT: u32 = 1; // a, b: low and high halves of the i64
const FLOAT: u32 = 2; // a, b: low and high halves of the f64's bits
const BOOL: u32 = 3; // a: 0 or 1
const ARRAY: u32 = 4; // a: first element's node, b: element count (elements are consecutive)
const TABLE: u32 = 5; // a: first entry's node, b: entry count (each entry: key node, value node)

#[derive(Default)]
struct Pack {
    nodes: Vec<[u32; 5]>,
    strs: String,
}

impl Pack {
    fn alloc(&mut self, n: usize) -> usize {
        let first = self.nodes.len();
        self.nodes.resize(first + n, [0; 5]);
        first
    }

    fn set(&mut self, slot: usize, tag: u32, a: u32, b: u32, span: std::ops::Range<usize>) {
        self.nodes[slot] = [tag, a, b, span.start as u32, span.end as u32];
    }

    fn string(&mut self, slot: usize, s: &str, span: std::ops::Range<usize>) {
        let off = self.strs.len() as u32;
        self.strs.push_str(s);
        self.set(slot, STR, off, s.len() as u32, span);
    }

    fn value(&mut self, slot: usize, v: &Spanned<DeValue<'_>>) -> Option<()> {
        let span = v.span();
        match v.get_ref() {
            DeValue::String(s) => self.string(slot, s, span),
            DeValue::Integer(i) => {
                let n = i64::from_str_radix(i.as_str(), i.radix()).ok()? as u64;
                self.set(slot, INT, n as u32, (n >> 32) as u32, span);
            }
            DeValue::Float(f) => {
                let x: f64 = f.as_str().parse().ok()?;
                if x.is_infinite() && !f.as_str().contains("inf") {
                    return None;
                }
                let n = x.to_bits();
                self.set(slot, FLOAT, n as u32, (n >> 32) as u32, span);
            }
            DeValue::Boolean(b) => self.set(slot, BOOL, u32::from(*b), 0, span),
            DeValue::Array(items) => {
                let first = self.alloc(items.len());
                for (k, item) in items.iter().enumerate() {
                    self.value(first + k, item)?;
                }
                self.set(slot, ARRAY, first as u32, items.len() as u32, span);
            }
            DeValue::Table(t) => self.table(slot, t, span)?,
            // Rule files hold no dates: such a file is parsed from its text at run time.
            DeValue::Datetime(_) => return None,
        }
        Some(())
    }

    fn table(&mut self, slot: usize, t: &DeTable<'_>, span: std::ops::Range<usize>) -> Option<()> {
        let first = self.alloc(2 * t.len());
        for (k, (key, value)) in t.iter().enumerate() {
            self.string(first + 2 * k, key.get_ref(), key.span());
            self.value(first + 2 * k + 1, value)?;
        }
        self.set(slot, TABLE, first as u32, t.len() as u32, span);
        Some(())
    }

    /// The file's root node, or `None` (nothing kept) when it is not in the table.
    fn file(&mut self, text: &str) -> Option<u32> {
        let (nodes, strs) = (self.nodes.len(), self.strs.len());
        let root = DeTable::parse(text).ok().and_then(|doc| {
            let root = self.alloc(1);
            self.table(root, doc.get_ref(), doc.span())?;
            Some(root as u32)
        });
        if root.is_none() {
            self.nodes.truncate(nodes);
            self.strs.truncate(strs);
        }
        root
    }
}

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    // Sorted, so the rule set (and every listing built from it) is the same on every machine.
    names.sort();
    let out_dir = env::var("OUT_DIR").expect("OUT_DIR");
    let mut pack = Pack::default();
    let mut out = String::from("pub(crate) static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    // (root node or u32::MAX, length of the text the nodes were built from) per file.
    let mut roots = String::from("pub(crate) static BUILTIN_PACK_ROOTS: &[(u32, usize)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=rules/{name}");
        // Relative to the crate being compiled, not an absolute path baked in here: a build folder
        // shared by several checkouts must never embed another checkout's files.
        out.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{name}\"))),\n"
        ));
        let text = fs::read_to_string(dir.join(name)).unwrap_or_default();
        let root = pack.file(&text).unwrap_or(u32::MAX);
        roots.push_str(&format!("    ({root}, {}),\n", text.len()));
    }
    out.push_str("];\n");
    roots.push_str("];\n");
    out.push_str(&roots);
    let bytes: Vec<u8> = pack
        .nodes
        .iter()
        .flat_map(|n| n.iter().flat_map(|x| x.to_le_bytes()))
        .collect();
    let dest = Path::new(&out_dir);
    fs::write(dest.join("builtin_rules.nodes"), bytes).expect("write builtin_rules.nodes");
    fs::write(dest.join("builtin_rules.strs"), &pack.strs).expect("write builtin_rules.strs");
    out.push_str(
        "pub(crate) static BUILTIN_PACK_NODES: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/builtin_rules.nodes\"));\n\
         pub(crate) static BUILTIN_PACK_STRS: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/builtin_rules.strs\"));\n",
    );
    fs::write(dest.join("builtin_rules.rs"), out).expect("write builtin_rules.rs");
}
