//! Where coach keeps per-user state (the fingerprint key and the ledger), and the key itself.
use crate::finding::FingerprintKey;
use std::io::Write;
use std::path::PathBuf;

/// `COACH_STATE_DIR`, else `$XDG_STATE_HOME/coach`, else `~/.local/state/coach`.
pub fn dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COACH_STATE_DIR") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state"))
        })?;
    Some(base.join("coach"))
}

/// Loads the per-user fingerprint key, creating it (mode 0600) on first use. If the state folder
/// cannot be used, returns a one-off key and a warning: fingerprints then do not match across runs,
/// but scanning and blocking still work.
pub fn fingerprint_key() -> (FingerprintKey, Option<String>) {
    match load_or_create_key() {
        Ok(k) => (k, None),
        Err(e) => (
            FingerprintKey::random(),
            Some(format!("fingerprint key unavailable ({e}); using a one-off key, so repeats are not recognised this run")),
        ),
    }
}

fn load_or_create_key() -> std::io::Result<FingerprintKey> {
    let dir =
        dir().ok_or_else(|| std::io::Error::other("no HOME or XDG_STATE_HOME to keep state in"))?;
    let path = dir.join("key");
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(arr) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(FingerprintKey::from_bytes(arr));
        }
        return Err(std::io::Error::other(format!(
            "{} is not a 32-byte key",
            path.display()
        )));
    }
    std::fs::create_dir_all(&dir)?;
    let key = FingerprintKey::random();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(&path) {
        Ok(mut f) => {
            f.write_all(key.as_bytes())?;
            f.sync_all()?;
            Ok(key)
        }
        // Another coach process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let bytes = std::fs::read(&path)?;
            <[u8; 32]>::try_from(bytes.as_slice())
                .map(FingerprintKey::from_bytes)
                .map_err(|_| std::io::Error::other("key file is being written"))
        }
        Err(e) => Err(e),
    }
}
