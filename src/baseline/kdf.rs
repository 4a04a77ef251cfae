//! The derivation behind a baseline's hashes: Argon2id cost parameters as stored in the file, and
//! a per-run cache that derives each distinct secret once, with at most a few derivations running at
//! once (each holds its memory cost).
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, PoisonError};

/// The only derivation so far; named in the file so another can be added without guessing.
pub(super) const KDF: &str = "argon2id";

/// Argon2id cost, as stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// About 40 ms per derivation on a 2-core machine (measured; docs/CONFIG.md). This is
    /// also the floor: a file may raise the cost, never lower it.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
    /// The ceiling: the file is repository content, and must not make a scan hang or exhaust memory
    /// (a derivation at the ceiling costs about 15 times the default).
    const MAX: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 8,
        parallelism: 4,
    };

    pub(super) fn check(self) -> Result<Self, String> {
        let (lo, hi) = (Self::DEFAULT, Self::MAX);
        let within = |v: u32, lo: u32, hi: u32, key: &str| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(format!("{key} = {v} is outside {lo}..={hi}"))
            }
        };
        within(
            self.memory_kib,
            lo.memory_kib,
            hi.memory_kib,
            "kdf-memory-kib",
        )?;
        within(
            self.iterations,
            lo.iterations,
            hi.iterations,
            "kdf-iterations",
        )?;
        within(
            self.parallelism,
            lo.parallelism,
            hi.parallelism,
            "kdf-parallelism",
        )?;
        Ok(self)
    }

    pub(super) fn argon2(self) -> argon2::Argon2<'static> {
        let params = argon2::Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(HASH_BYTES),
        )
        .expect("parameters were range-checked");
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
    }
}

/// 128 bits: as long as the old HMAC entries, plenty to tell secrets apart.
pub(super) const HASH_BYTES: usize = 16;

/// The derivation cache. Its keys are fast hashes of secrets, so `Debug` never shows them.
#[derive(Default)]
pub(super) struct Cache(
    pub(super) Mutex<HashMap<[u8; 32], String>>,
    Mutex<usize>,
    Condvar,
);

/// Derivations running at once: each holds `kdf-memory-kib` (up to 64 MiB at the ceiling).
pub(super) const MAX_DERIVATIONS: usize = 4;

/// One of MAX_DERIVATIONS slots, given back on drop.
pub(super) struct Permit<'c>(&'c Cache);

impl Cache {
    pub(super) fn permit(&self) -> Permit<'_> {
        let mut running = self.1.lock().unwrap_or_else(PoisonError::into_inner);
        while *running >= MAX_DERIVATIONS {
            running = self.2.wait(running).unwrap_or_else(PoisonError::into_inner);
        }
        *running += 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0 .1.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
        self.0 .2.notify_one();
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_max_derivations_run_at_once() {
        let cache = Cache::default();
        let held: Vec<Permit<'_>> = (0..MAX_DERIVATIONS).map(|_| cache.permit()).collect();
        let got = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let _p = cache.permit();
                got.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            // Can only pass wrongly (the waiter not yet scheduled), never fail wrongly.
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!got.load(std::sync::atomic::Ordering::SeqCst));
            drop(held);
            waiter.join().unwrap();
        });
        assert!(got.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(*cache.1.lock().unwrap(), 0);
    }
}
