//! Where coach keeps per-user state (the fingerprint key and the ledger), and the key itself.
use crate::finding::FingerprintKey;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    create_private_dir(&dir)?;
    let key = FingerprintKey::random();
    // Written to a private temporary file in the same folder, then linked into place only if no
    // key is there yet: the key is never readable by others, and never seen half-written.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".key-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(key.as_bytes())?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(&path) {
        Ok(_) => Ok(key),
        // Another coach process created it first: use theirs.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            let bytes = std::fs::read(&path)?;
            <[u8; 32]>::try_from(bytes.as_slice())
                .map(FingerprintKey::from_bytes)
                .map_err(|_| {
                    std::io::Error::other(format!("{} is not a 32-byte key", path.display()))
                })
        }
        Err(e) => Err(e.error),
    }
}

/// Creates a folder (and missing parents) readable by this user only. A folder that already
/// exists keeps its mode unless it is the state folder itself, which is tightened to 0700.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)?;
    #[cfg(unix)]
    if dir::is_state(dir) {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Creates a file readable by this user only (0600), or tightens an existing one to 0600. Never
/// truncates.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if f.metadata()?.permissions().mode() & 0o077 != 0 {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = Path::new(&side);
            if let Ok(m) = std::fs::metadata(side) {
                if m.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(side, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
    }
    Ok(())
}

mod dir {
    use std::path::Path;

    pub(super) fn is_state(p: &Path) -> bool {
        super::dir().is_some_and(|d| d == p)
    }
}
