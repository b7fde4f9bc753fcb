use super::*;
use std::fs;
use std::os::unix::fs::MetadataExt;

fn f(path: &str, contents: &str) -> OutFile {
    OutFile {
        path: path.into(),
        contents: contents.into(),
    }
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

/// Every entry beside `out` in its parent, but `out`.
fn beside(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap();
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != name)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn rewrites_only_changes_removes_stale_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    let r = write(out, &[f("a/x.rs", "1"), f("b.rs", "2"), f("c.rs", "3")]).unwrap();
    assert_eq!(r.written, ["a/x.rs", "b.rs", "c.rs"]);
    fs::write(out.join("hand.rs"), "mine").unwrap();
    fs::create_dir_all(out.join("target/debug")).unwrap();
    fs::write(out.join("target/debug/x"), "build").unwrap();
    fs::write(out.join("a/mine.rs"), "mine too").unwrap();
    let kept = fs::metadata(out.join("c.rs")).unwrap();
    let r = write(out, &[f("b.rs", "4"), f("c.rs", "3")]).unwrap();
    assert_eq!(r.written, ["b.rs"]);
    assert_eq!(r.unchanged, 1);
    assert_eq!(r.removed, ["a/x.rs"]);
    assert!(!out.join("a/x.rs").exists());
    assert_eq!(read(&out.join("hand.rs")), "mine");
    assert_eq!(read(&out.join("a/mine.rs")), "mine too");
    assert_eq!(read(&out.join("target/debug/x")), "build");
    // The unchanged file is the same file: cargo sees no change.
    let now = fs::metadata(out.join("c.rs")).unwrap();
    assert_eq!(
        (now.ino(), now.mtime_nsec()),
        (kept.ino(), kept.mtime_nsec())
    );
    assert!(beside(out).is_empty(), "{:?}", beside(out));
    assert!(check(out, &[f("b.rs", "4"), f("c.rs", "3")])
        .unwrap()
        .is_empty());
    assert_eq!(
        check(out, &[f("b.rs", "5"), f("d.rs", "")]).unwrap(),
        [
            Drift::Missing("d.rs".into()),
            Drift::Changed("b.rs".into()),
            Drift::Stale("c.rs".into())
        ]
    );
    // Nothing changes: nothing is touched.
    let r = write(out, &[f("b.rs", "4"), f("c.rs", "3")]).unwrap();
    assert!(r.written.is_empty() && r.removed.is_empty());
}

#[test]
fn refuses_paths_outside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [
        "../x",
        "/etc/x",
        "a/../../x",
        "",
        "a/./b",
        "x\0y",
        "a//b",
        "a/",
        "..",
        ".",
        "a/..",
        "\0",
    ] {
        let e = write(&dir.path().join("out"), &[f(bad, "")]).unwrap_err();
        assert!(matches!(e, WriteError::Outside { .. }), "{bad}: {e}");
    }
    // Names that only begin or end with dots are names.
    let ok = [f("..a/b..", "1"), f(".x/...", "2"), f("a.b/.c", "3")];
    let r = write(&dir.path().join("ok"), &ok).unwrap();
    assert_eq!(r.written.len(), 3);
    let e = write(Path::new("/"), &[f("x", "")]).unwrap_err();
    assert!(matches!(e, WriteError::NoParent { .. }), "{e}");
}

#[test]
fn refuses_a_directory_it_did_not_create() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(out.join("src/lib.rs"), "// mine\n").unwrap();
    let files = [f("Cargo.toml", "gen"), f("src/lib.rs", "gen")];
    let e = write(out, &files).unwrap_err();
    assert!(matches!(e, WriteError::NotOurs { .. }), "{e}");
    assert!(e.to_string().contains("--adopt"), "{e}");
    assert_eq!(read(&out.join("src/lib.rs")), "// mine\n");
    // Taken over on request.
    let adopt = WriteOptions { adopt: true };
    let planned = Planned::all(&files, &[]);
    Output::open(out, adopt).unwrap().write(&planned).unwrap();
    assert_eq!(read(&out.join("src/lib.rs")), "gen");
    // A file it did not create, where it now generates one, is refused.
    fs::write(out.join("src/new.rs"), "// mine\n").unwrap();
    let e = write(out, &[f("Cargo.toml", "gen"), f("src/new.rs", "gen")]).unwrap_err();
    assert!(matches!(e, WriteError::Foreign { .. }), "{e}");
    assert_eq!(read(&out.join("src/new.rs")), "// mine\n");
    assert_eq!(read(&out.join("src/lib.rs")), "gen");
}

#[test]
fn never_writes_or_deletes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    let elsewhere = &dir.path().join("elsewhere");
    write(out, &[f("src/lib.rs", "1"), f("src/a.rs", "1")]).unwrap();
    fs::create_dir_all(elsewhere).unwrap();
    fs::write(elsewhere.join("a.rs"), "precious").unwrap();
    fs::rename(out.join("src"), dir.path().join("old-src")).unwrap();
    std::os::unix::fs::symlink(elsewhere, out.join("src")).unwrap();
    let e = write(out, &[f("src/lib.rs", "2")]).unwrap_err();
    assert!(matches!(e, WriteError::Symlink { .. }), "{e}");
    assert!(e.to_string().contains("src"), "{e}");
    assert_eq!(read(&elsewhere.join("a.rs")), "precious");
    assert!(!elsewhere.join("lib.rs").exists());
    // The output itself a link.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(out, &link).unwrap();
    let e = write(&link, &[f("x.rs", "")]).unwrap_err();
    assert!(matches!(e, WriteError::Symlink { .. }), "{e}");
    // A link that is not on the way of a generated file is kept as it is.
    fs::remove_file(out.join("src")).unwrap();
    std::os::unix::fs::symlink(elsewhere, out.join("docs")).unwrap();
    write(out, &[f("src/lib.rs", "3")]).unwrap();
    assert!(fs::symlink_metadata(out.join("docs"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&elsewhere.join("a.rs")), "precious");
}

#[test]
fn a_path_in_the_way_fails_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    write(out, &[f("a.rs", "1"), f("b.rs", "1"), f("z.rs", "1")]).unwrap();
    fs::remove_file(out.join("b.rs")).unwrap();
    fs::create_dir(out.join("b.rs")).unwrap();
    let e = write(out, &[f("a.rs", "2"), f("b.rs", "2"), f("z.rs", "2")]).unwrap_err();
    assert!(e.to_string().contains("b.rs"), "{e}");
    assert_eq!(read(&out.join("a.rs")), "1");
    assert_eq!(read(&out.join("z.rs")), "1");
    let e = write(&out.join("a.rs"), &[f("x", "")]).unwrap_err();
    assert!(matches!(e, WriteError::NotADirectory { .. }), "{e}");
}

#[test]
fn what_a_killed_run_left_is_finished_or_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    write(out, &[f("a.rs", "new")]).unwrap();
    // Killed before its swap: a new tree that was never used.
    let stage = dir.path().join(".out.stackql-new.4242");
    fs::create_dir_all(stage.join("src")).unwrap();
    fs::write(stage.join("src/x.rs"), "half").unwrap();
    fs::write(stage.join(MANIFEST), "src/x.rs\n").unwrap();
    // Killed after its swap: the previous tree, holding a user's file.
    let old = dir.path().join(".out.stackql-new.4343");
    fs::create_dir_all(old.join("notes")).unwrap();
    fs::write(old.join("a.rs"), "old").unwrap();
    fs::write(old.join("notes/todo.md"), "mine").unwrap();
    fs::write(old.join(MANIFEST), "a.rs\n").unwrap();
    // And a temporary file of an older generator.
    fs::write(out.join(".a.rs.999.tmp"), "x").unwrap();
    write(out, &[f("a.rs", "newer")]).unwrap();
    assert!(beside(out).is_empty(), "{:?}", beside(out));
    assert_eq!(read(&out.join("notes/todo.md")), "mine");
    assert_eq!(read(&out.join("a.rs")), "newer");
    assert!(!out.join("src").exists());
    assert!(!out.join(".a.rs.999.tmp").exists());
    // Killed between the renames of the fallback swap: the output is gone.
    let moved = dir.path().join(".out.stackql-old.77");
    fs::rename(out, &moved).unwrap();
    write(out, &[f("a.rs", "newer")]).unwrap();
    assert_eq!(read(&out.join("notes/todo.md")), "mine");
    assert!(beside(out).is_empty(), "{:?}", beside(out));
}

#[test]
fn relative_paths() {
    assert_eq!(relative_path(Path::new("/a/b"), Path::new("/a/c")), "../c");
    assert_eq!(relative_path(Path::new("/a"), Path::new("/a/c/d")), "c/d");
    assert_eq!(relative_path(Path::new("/a"), Path::new("/a")), ".");
}

#[test]
fn the_scope_of_a_write_is_the_deepest_directory_holding_every_change() {
    use super::tree::scope;
    let cases: [(&[&str], Option<&str>); 9] = [
        (&["src/aws/ec2/a.rs"], Some("src/aws/ec2")),
        (
            &["src/aws/ec2/a.rs", "src/aws/ec2/b.rs"],
            Some("src/aws/ec2"),
        ),
        (&["src/aws/ec2/a.rs", "src/aws/ecs/b.rs"], Some("src/aws")),
        // Components, not characters: `src/aws/ec` is no parent of `ec2`.
        (&["src/aws/ec2/a.rs", "src/aws/ec/b.rs"], Some("src/aws")),
        (
            &["src/aws/ec2/a.rs", "src/aws/ec2/x/b.rs"],
            Some("src/aws/ec2"),
        ),
        (&["src/a.rs", "policies/a.json"], None),
        (&["Cargo.toml"], None),
        (&["src/a.rs", "Cargo.toml"], None),
        (&[], None),
    ];
    for (changed, want) in cases {
        assert_eq!(scope(changed.iter().copied()), want, "{changed:?}");
    }
}

#[test]
fn a_missing_directory_holds_every_path_under_it_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("src/aws")).unwrap();
    // `src/aws-x` sorts between `src/aws` and `src/aws/...` (`-` < `/`);
    // `src/aws/ec2` is missing below a directory that is there.
    let paths = [
        "Cargo.toml",
        "policies/aws/a.json",
        "src/aws-x/b.rs",
        "src/aws/ec2/c.rs",
        "src/aws/mod.rs",
        "src/lib.rs",
    ];
    let missing = super::tree::check_dirs(out, &paths).unwrap();
    let held: Vec<&str> = paths.into_iter().filter(|p| missing.holds(p)).collect();
    assert_eq!(
        held,
        ["policies/aws/a.json", "src/aws-x/b.rs", "src/aws/ec2/c.rs"]
    );
    assert!(
        !missing.holds("src/aws-x"),
        "a directory is not under itself"
    );
}

#[test]
fn the_stats_of_a_write_are_those_of_its_files_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    let files = [
        f("Cargo.toml", "c"),
        f("src/a/x.rs", "12"),
        f("src/b.rs", ""),
    ];
    let output = Output::open(out, WriteOptions::default()).unwrap();
    let (_, stats) = output.write(&Planned::all(&files, &[])).unwrap();
    assert_eq!(stats.len(), files.len());
    for (file, stat) in files.iter().zip(&stats) {
        let stat = stat.as_ref().expect("a file written has its stat");
        let disk = fs::symlink_metadata(out.join(&file.path)).unwrap();
        assert_eq!(
            (stat.len(), stat.modified().unwrap(), stat.ino()),
            (disk.len(), disk.modified().unwrap(), disk.ino()),
            "{}",
            file.path
        );
    }
    // Unchanged files are linked, not written: the cache stats them.
    let changed = [
        f("Cargo.toml", "c"),
        f("src/a/x.rs", "13"),
        f("src/b.rs", ""),
    ];
    let (report, stats) = output.write(&Planned::all(&changed, &[])).unwrap();
    assert_eq!(report.written, ["src/a/x.rs"]);
    let disk = fs::metadata(out.join("src/a/x.rs")).unwrap();
    let written: Vec<Option<u64>> = stats.iter().map(|s| s.as_ref().map(|m| m.ino())).collect();
    assert_eq!(written, [None, Some(disk.ino()), None]);
}

#[test]
fn a_change_in_one_directory_swaps_only_that_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    let files = [
        f("Cargo.toml", "c"),
        f("src/a/x.rs", "1"),
        f("src/a/y.rs", "2"),
        f("src/b/z.rs", "3"),
    ];
    write(out, &files).unwrap();
    fs::write(out.join("src/a/mine.rs"), "mine").unwrap();
    fs::create_dir_all(out.join("src/a/notes")).unwrap();
    fs::write(out.join("src/a/notes/todo.md"), "todo").unwrap();
    let ino = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let (dir_a, dir_b, dir_src, y) = (ino("src/a"), ino("src/b"), ino("src"), ino("src/a/y.rs"));
    let mut changed = files.clone();
    changed[1] = f("src/a/x.rs", "1 edited");
    let r = write(out, &changed).unwrap();
    assert_eq!(r.written, ["src/a/x.rs"]);
    assert_eq!(read(&out.join("src/a/x.rs")), "1 edited");
    // Only `src/a` is a new directory; its unchanged file is the same file.
    assert_ne!(ino("src/a"), dir_a);
    assert_eq!((ino("src/b"), ino("src")), (dir_b, dir_src));
    assert_eq!(ino("src/a/y.rs"), y);
    // What is not the generator's stays where it was.
    assert_eq!(read(&out.join("src/a/mine.rs")), "mine");
    assert_eq!(read(&out.join("src/a/notes/todo.md")), "todo");
    assert!(beside(out).is_empty(), "{:?}", beside(out));
    assert!(check(out, &changed).unwrap().is_empty());
    // A change in two top-level directories swaps the whole tree, with the
    // same result.
    let mut both = changed.clone();
    both[0] = f("Cargo.toml", "c edited");
    both[3] = f("src/b/z.rs", "3 edited");
    let r = write(out, &both).unwrap();
    assert_eq!(r.written, ["Cargo.toml", "src/b/z.rs"]);
    assert_ne!(ino("src"), dir_src);
    assert!(check(out, &both).unwrap().is_empty());
    assert_eq!(read(&out.join("src/a/notes/todo.md")), "todo");
    assert!(beside(out).is_empty(), "{:?}", beside(out));
}

#[test]
fn a_run_killed_around_a_directory_swap_is_finished_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    write(out, &[f("src/a/x.rs", "new"), f("src/b/y.rs", "y")]).unwrap();
    // Killed after swapping `src/a`: the stage holds the previous `src/a`
    // at the same path, with a user's file in it, and the manifest the run
    // put there first.
    let old = dir.path().join(".out.stackql-new.4343");
    fs::create_dir_all(old.join("src/a")).unwrap();
    fs::copy(out.join(MANIFEST), old.join(MANIFEST)).unwrap();
    fs::write(old.join("src/a/x.rs"), "old").unwrap();
    fs::write(old.join("src/a/mine.rs"), "mine").unwrap();
    write(out, &[f("src/a/x.rs", "newer"), f("src/b/y.rs", "y")]).unwrap();
    assert!(beside(out).is_empty(), "{:?}", beside(out));
    assert_eq!(read(&out.join("src/a/mine.rs")), "mine");
    assert_eq!(read(&out.join("src/a/x.rs")), "newer");
}

#[test]
fn a_directory_named_like_a_leftover_but_not_the_generators_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = &dir.path().join("out");
    write(out, &[f("src/a/x.rs", "one")]).unwrap();
    // A user's directory with the name a run's stage would have, holding
    // no manifest; and an empty one, as a run killed before its first
    // write leaves.
    let users = dir.path().join(".out.stackql-new.77");
    fs::create_dir_all(users.join("src/a")).unwrap();
    fs::write(users.join("src/a/notes.md"), "mine").unwrap();
    let empty = dir.path().join(".out.stackql-old.78");
    fs::create_dir(&empty).unwrap();
    write(out, &[f("src/a/x.rs", "two")]).unwrap();
    assert_eq!(read(&users.join("src/a/notes.md")), "mine");
    assert!(!out.join("src/a/notes.md").exists());
    assert!(!empty.exists());
    assert_eq!(read(&out.join("src/a/x.rs")), "two");
}
