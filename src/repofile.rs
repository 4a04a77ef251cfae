//! Reading files that the repository names (`.coach.toml`, extra rule files, the baseline).
//!
//! The repository is untrusted input (docs/SECURITY.md): a path it names must stay inside the work
//! tree once symlinks are followed, must be a regular file, and must be small. A FIFO would block
//! `open`, `/dev/zero` would never end, and a 6 GB file would exhaust memory; each is refused before
//! a byte is read.
use crate::error::Error;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest repository config file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Largest extra rules file read (the biggest built-in file is ~30 KB).
pub const MAX_RULES_BYTES: u64 = 4 << 20;
/// Largest baseline read: about 100,000 entries.
pub const MAX_BASELINE_BYTES: u64 = 32 << 20;

/// Checks that a path written in repository config is relative and never climbs (`..`): it names
/// a file of this repository, nothing else.
pub fn check_relative(key: &str, value: &str) -> Result<(), String> {
    let p = Path::new(value);
    if value.is_empty() {
        return Err(format!("{key}: empty path"));
    }
    if p.has_root()
        || p.is_absolute()
        || matches!(p.components().next(), Some(Component::Prefix(_)))
    {
        return Err(format!(
            "{key}: {value:?} is absolute; repository config may only name files inside the repository"
        ));
    }
    if p.components().any(|c| c == Component::ParentDir) {
        return Err(format!(
            "{key}: {value:?} climbs out with `..`; repository config may only name files inside the repository"
        ));
    }
    Ok(())
}

/// Resolves `path` (which may be a symlink) and proves it lies inside `root`. Returns the resolved
/// path, or `None` when nothing exists there.
pub fn resolve_inside(root: &Path, path: &Path, what: &str) -> Result<Option<PathBuf>, Error> {
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is not "no file": it names something, somewhere.
            if path.symlink_metadata().is_ok() {
                return Err(Error::Usage(format!(
                    "{}: {what} is a symlink to a missing file; refusing to follow it",
                    path.display()
                )));
            }
            return Ok(None);
        }
        Err(source) => {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let root = root.canonicalize().map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if !real.starts_with(&root) {
        return Err(Error::Usage(format!(
            "{}: {what} resolves to {}, outside the repository; coach reads only files inside it (docs/SECURITY.md)",
            path.display(),
            real.display()
        )));
    }
    Ok(Some(real))
}

/// Reads a file the repository names: inside `root` after symlinks, a regular file, at most `cap`
/// bytes, valid UTF-8. `Ok(None)` when it does not exist.
pub fn read_inside(
    root: &Path,
    path: &Path,
    what: &str,
    cap: u64,
) -> Result<Option<String>, Error> {
    let Some(real) = resolve_inside(root, path, what)? else {
        return Ok(None);
    };
    read_capped(path, &real, what, cap).map(Some)
}

/// Proves `real` is a regular file of at most `cap` bytes without reading it (for readers that
/// open the file themselves).
pub fn check_regular(shown: &Path, real: &Path, what: &str, cap: u64) -> Result<(), Error> {
    let file = open_nonblocking(shown, real)?;
    check_opened(shown, &file, what, cap).map(|_| ())
}

fn open_nonblocking(shown: &Path, real: &Path) -> Result<std::fs::File, Error> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(real).map_err(|source| Error::Io {
        path: shown.to_path_buf(),
        source,
    })
}

fn check_opened(shown: &Path, file: &std::fs::File, what: &str, cap: u64) -> Result<u64, Error> {
    let meta = file.metadata().map_err(|source| Error::Io {
        path: shown.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "{}: {what} is not a regular file; refusing to read it",
            shown.display()
        )));
    }
    if meta.len() > cap {
        return Err(Error::Usage(format!(
            "{}: {what} is {} bytes; the limit is {cap}",
            shown.display(),
            meta.len()
        )));
    }
    Ok(meta.len())
}

/// Opens without blocking (a FIFO would otherwise wait for a writer forever), then checks the
/// opened file itself, so a swap between check and read cannot slip a device in.
pub fn read_capped(shown: &Path, real: &Path, what: &str, cap: u64) -> Result<String, Error> {
    let io = |source| Error::Io {
        path: shown.to_path_buf(),
        source,
    };
    let file = open_nonblocking(shown, real)?;
    let len = check_opened(shown, &file, what, cap)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // The file may grow after the size check: never read past the cap.
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(Error::Usage(format!(
            "{}: {what} grew past the limit of {cap} bytes while being read",
            shown.display()
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{}: {what} is not valid UTF-8", shown.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_only() {
        assert!(check_relative("baseline", "ci/base.toml").is_ok());
        assert!(check_relative("baseline", "/etc/passwd").is_err());
        assert!(check_relative("baseline", "../x").is_err());
        assert!(check_relative("baseline", "a/../../x").is_err());
        assert!(check_relative("baseline", "").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_escapes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(dir.path().join("outside.toml"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.toml"), root.join("link.toml"))
            .unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
        let err = read_inside(&root, &root.join("link.toml"), "rules", 100).unwrap_err();
        assert!(err.to_string().contains("outside the repository"), "{err}");
        // /dev/zero resolves outside the repository, and is not a regular file either.
        let err =
            read_capped(Path::new("zero"), Path::new("/dev/zero"), "baseline", 100).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        std::fs::write(root.join("big"), vec![b'a'; 200]).unwrap();
        let err = read_inside(&root, &root.join("big"), "baseline", 100).unwrap_err();
        assert!(err.to_string().contains("the limit is 100"), "{err}");
        assert_eq!(
            read_inside(&root, &root.join("none"), "x", 100).unwrap(),
            None
        );
    }
}
