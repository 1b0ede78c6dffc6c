//! The outbox across processes: two stores on one database (two app nodes, or
//! `tsunagu send-mail` beside a running server) claiming the same due mails take each
//! mail once, and a mail one of them has sent no longer trips the other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use store::db::Db;
use store::outbox::{self, Mail};
use store::{KeyStore, Keyring, MasterKey, Store};

fn open(dir: &std::path::Path, master: &MasterKey) -> (Db, Keyring) {
    let data = Db::open(&dir.join("data.sqlite3").to_string_lossy(), 4).unwrap();
    let ks = KeyStore::open(&dir.join("keys.sqlite3").to_string_lossy(), 4).unwrap();
    (data, Keyring::new(master.clone(), vec![], ks))
}

fn node(dir: &std::path::Path, master: &MasterKey) -> Store {
    let (data, keys) = open(dir, master);
    Store::new(data, keys)
}

/// Queues a mail to `to` at `now`, as a change in the app would.
fn queue(dir: &std::path::Path, master: &MasterKey, to: &str, now: i64) {
    let (data, keys) = open(dir, master);
    let mail = Mail {
        to: to.into(),
        subject: "件名".into(),
        text: "本文".into(),
        unsubscribe: None,
    };
    data.write_blocking(|c| outbox::enqueue(&keys, c, "test", &mail, now).map(drop))
        .unwrap();
}

#[test]
fn two_nodes_claim_each_due_mail_once() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let a = node(dir.path(), &master);
    let b = node(dir.path(), &master);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for i in 0..40 {
        queue(dir.path(), &master, &format!("p{i}@example.jp"), 100);
    }
    rt.block_on(async {
        // Both claim at once, in rounds, sending (marking sent) what they took.
        let mut seen = [HashSet::new(), HashSet::new()];
        for _ in 0..10 {
            let (x, y) = tokio::join!(a.outbox_claim(200, 200, 7), b.outbox_claim(200, 200, 7));
            for (n, (got, store)) in [(x.unwrap(), &a), (y.unwrap(), &b)].into_iter().enumerate() {
                for p in got {
                    assert!(
                        !seen[0].contains(&p.mail.to) && !seen[1].contains(&p.mail.to),
                        "{} claimed twice",
                        p.mail.to
                    );
                    seen[n].insert(p.mail.to.clone());
                    store.outbox_sent(p.id, 200).await.unwrap();
                }
            }
        }
        assert_eq!(seen[0].len() + seen[1].len(), 40);
        assert_eq!(a.outbox_backlog().await.unwrap(), 0);
        // A claimed mail that was not sent waits out its lease, then is taken again.
        queue(dir.path(), &master, "late@example.jp", 300);
        assert_eq!(a.outbox_claim(300, 300, 10).await.unwrap().len(), 1);
        assert!(b.outbox_claim(i64::MAX, 301, 10).await.unwrap().is_empty());
        let again = b
            .outbox_claim(300 + outbox::CLAIM_LEASE, 300 + outbox::CLAIM_LEASE, 10)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].mail.to, "late@example.jp");
    });
}
