//! Where attachment contents live: outside the database, sealed before they get here
//! (the store never hands this layer a plain file). `DiskFiles` keeps them under the
//! data directory; another store (e.g. S3-compatible) implements the same trait.
use std::io::Write;
use std::path::PathBuf;

pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key`, durably (it survives a crash once this returns).
    fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
    /// Removes `key`; a missing key is no error.
    fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// Files in a folder: `root/ab/abcdef…` (keys are random ids, never names).
#[derive(Debug, Clone)]
pub struct DiskFiles {
    root: PathBuf,
}

impl DiskFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        let ok = key.len() >= 8
            && key
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
        if !ok {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "file key",
            ));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl FileStore for DiskFiles {
    fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("file dir"))?
            .to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{key}.tmp"));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&dir)?.sync_all()
    }

    fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            r => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_gets_and_deletes_under_safe_keys_only() {
        let dir = std::env::temp_dir().join(format!("tsunagu-files-{}", uuid::Uuid::new_v4()));
        let s = DiskFiles::new(&dir);
        let key = uuid::Uuid::new_v4().to_string();
        s.put(&key, b"sealed").unwrap();
        assert_eq!(s.get(&key).unwrap(), b"sealed");
        s.delete(&key).unwrap();
        s.delete(&key).unwrap();
        assert!(s.get(&key).is_err());
        assert!(s.put("../../etc/passwd", b"x").is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
