//! The generator's wall time per stage, timed through the library's own
//! pipeline ([`Progress`] reports each stage), against a floor (read +
//! tokenise with pulldown-cmark).

use crate::sys::{cpu_now, fail, median, ok, peak_mb, secs, time};
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use stackql_codegen::{Config, Outcome, Progress, SpecFile, Stage};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Targets of the issue "Speed at provider scale".
const TARGET_FULL_RATIO: f64 = 8.0;
const TARGET_NOCHANGE_RATIO: f64 = 2.0;
/// A regeneration after one page changed, against a no-change one (issue
/// "Generation at the speed of reading").
const TARGET_ONE_PAGE_RATIO: f64 = 2.0;
/// Peak memory target, in MB.
pub const TARGET_PEAK_MB: f64 = 500.0;

/// One generation: a specs root and the page prefixes to keep (all when empty).
#[derive(Clone)]
pub struct Job {
    /// The output folder's name.
    pub name: String,
    /// The specs root.
    pub root: PathBuf,
    /// Page prefixes (`aws/`).
    pub only: Vec<String>,
}

impl Job {
    fn config(&self) -> Config {
        let mut c = Config::new();
        c.specs(&self.root)
            .only(self.only.clone())
            .allow_partial(true);
        c
    }

    fn spec_files(&self) -> Vec<SpecFile> {
        self.config()
            .spec_files()
            .unwrap_or_else(|e| fail(&e.to_string()))
    }
}

/// The stages timed, in pipeline order, with their table labels.
const STAGES: [(Stage, &str); 6] = [
    (Stage::Discover, "discover (walk dirs)"),
    (Stage::Read, "read + hash (parallel)"),
    (Stage::Parse, "parse (parse_page, parallel)"),
    (Stage::Resolve, "resolve (one per id, names)"),
    (Stage::Emit, "emit (render, format)"),
    (Stage::Write, "write (files, cache stamps)"),
];

/// Wall and CPU time per stage of [`STAGES`].
type StageTimes = [[Duration; 2]; STAGES.len()];

/// Records when each stage of a run starts (wall and CPU clock).
#[derive(Default)]
struct Recorder {
    marks: Mutex<Vec<(Stage, Instant, Duration)>>,
    pages: AtomicUsize,
}

impl Progress for Recorder {
    fn stage(&self, stage: Stage) {
        let mark = (stage, Instant::now(), cpu_now());
        self.marks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(mark);
    }

    fn pages_found(&self, pages: usize) {
        self.pages.fetch_add(pages, Ordering::Relaxed);
    }
}

impl Recorder {
    /// Each stage's time: from its start to the next mark, summed over runs.
    fn times(&self) -> StageTimes {
        let marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = [[Duration::ZERO; 2]; STAGES.len()];
        for pair in marks.windows(2) {
            let ((stage, wall, cpu), (_, next_wall, next_cpu)) = (pair[0], pair[1]);
            if let Some(i) = STAGES.iter().position(|(s, _)| *s == stage) {
                out[i][0] += next_wall - wall;
                out[i][1] += next_cpu.saturating_sub(cpu);
            }
        }
        out
    }
}

/// One run of every job: wall and CPU time, per stage and in all.
struct Run {
    wall: Duration,
    cpu: Duration,
    stages: StageTimes,
    pages: usize,
    outcomes: Vec<Outcome>,
    /// Every file written: its path in its crate, and where it is.
    written: Vec<(String, PathBuf)>,
}

/// Runs `Config::write_to` for every job into `out/<job>`.
fn run_jobs(jobs: &[Job], out: &Path) -> Run {
    let recorder = Arc::new(Recorder::default());
    let cpu = cpu_now();
    let (outcomes, wall): (Vec<Outcome>, _) = time(|| {
        jobs.iter()
            .map(|job| {
                job.config()
                    .progress(recorder.clone())
                    .write_to(&out.join(&job.name))
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", job.name)))
            })
            .collect()
    });
    let pages = recorder.pages.load(Ordering::Relaxed);
    let written = jobs
        .iter()
        .zip(&outcomes)
        .flat_map(|(job, o)| {
            let dir = out.join(&job.name);
            o.report
                .written
                .iter()
                .map(move |p| (p.clone(), dir.join(p)))
        })
        .collect();
    Run {
        wall,
        cpu: cpu_now().saturating_sub(cpu),
        stages: recorder.times(),
        pages,
        outcomes,
        written,
    }
}

/// The file system's floor for a write: the files `run` wrote (their bytes
/// read back first, not timed), created again under `dest` with plain
/// `create_dir_all` + `fs::write`, in parallel as the generator writes.
/// Creating thousands of files costs what the file system makes it cost (on
/// ext4 without a journal, this machine's, inode allocation slows down by
/// many times after mass deletions: see docs/benchmarks.md), so the
/// generator's write stage is reported beside this floor, measured at the
/// same moment.
fn write_floor(run: &Run, out: &Path, dest: &Path) -> Duration {
    let files: Vec<(PathBuf, Vec<u8>)> = run
        .written
        .iter()
        .map(|(_, path)| {
            let rel = path.strip_prefix(out).unwrap_or(path);
            let bytes =
                std::fs::read(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
            (dest.join(rel), bytes)
        })
        .collect();
    time(|| {
        files.par_iter().for_each(|(path, bytes)| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
            }
            std::fs::write(path, bytes)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        })
    })
    .1
}

/// The floor: read every page and walk every pulldown-cmark event, in
/// parallel; the bytes read.
fn floor(files: &[SpecFile]) -> usize {
    files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            std::hint::black_box(Parser::new_ext(&text, Options::all()).count());
            bytes.len()
        })
        .sum()
}

/// The description of the first field of the page `text` (`source`)
/// with `words` put in front, in either table format of the corpus (HTML
/// rows or Markdown pipes); `None` when the page has no Fields table this
/// finds, or when the edit would not change the parsed fields.
fn edit_first_field(source: &str, text: &str, words: &str) -> Option<String> {
    let fields = text.find("\n## Fields")?;
    let rest = &text[fields..];
    let at = if let Some(row) = rest.find("</th></tr><tr>") {
        // The third cell of the first row (name, datatype, description).
        let mut at = fields + row;
        for _ in 0..3 {
            at += text[at..].find("<td>")? + "<td>".len();
        }
        at
    } else {
        // The row after the `|:---|` separator: its third cell.
        let sep = rest.find("\n|:-").or_else(|| rest.find("\n|--"))?;
        let row = fields + sep + 1 + rest[sep + 1..].find('\n')? + 1;
        let mut at = row;
        for _ in 0..3 {
            at += text[at..].find('|')? + 1;
        }
        at + 1
    };
    let edited = format!("{}{words} {}", &text[..at], &text[at..]);
    let fields_of = |t: &str| {
        stackql_codegen::parse::parse_page(source, t)
            .resource
            .map(|r| r.fields)
    };
    (fields_of(&edited) != fields_of(text)).then_some(edited)
}

/// Regenerations after one page changed, `repeat` times per page, for two
/// pages: the largest resource page (the dearest module to render again)
/// and one of median size (a typical edit). The corpus is never written:
/// the pages of `jobs` (`files`) are copied under `out/specs`, generated
/// into `out/one-page` once, and before each timed run the description of
/// the first field of the page is edited (its model changes, so the page
/// is parsed and its resource module rendered and written again), as a
/// user's edit would. Returns each page's label and runs.
fn one_page_change(
    jobs: &[Job],
    files: &[SpecFile],
    out: &Path,
    repeat: usize,
) -> Vec<(String, Vec<Run>)> {
    let specs = out.join("specs");
    let copies: Vec<Job> = jobs
        .iter()
        .map(|j| Job {
            name: j.name.clone(),
            root: specs.join(&j.name),
            only: j.only.clone(),
        })
        .collect();
    // Resource pages whose first field this edit finds, by size.
    let mut editable: Vec<(usize, PathBuf, String)> = Vec::new();
    for (job, copy) in jobs.iter().zip(&copies) {
        for f in files.iter().filter(|f| f.path.starts_with(&job.root)) {
            let to = copy.root.join(&f.relative);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
            }
            let bytes = std::fs::read(&f.path)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", f.path.display())));
            std::fs::write(&to, &bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", to.display())));
            let text = String::from_utf8_lossy(&bytes);
            if text.contains("\n## Overview")
                && edit_first_field(&f.relative, &text, "Edited.").is_some()
            {
                editable.push((bytes.len(), to, f.relative.clone()));
            }
        }
    }
    editable.sort();
    let (Some(largest), Some(median)) = (editable.last(), editable.get(editable.len() / 2)) else {
        fail("one-page change: no resource page with a field description to edit");
    };
    let dir = out.join("one-page");
    run_jobs(&copies, &dir);
    [("largest page", largest), ("median page", median)]
        .into_iter()
        .map(|(label, (size, page, rel))| {
            let runs = (0..repeat)
                .map(|i| {
                    let text = std::fs::read_to_string(page)
                        .unwrap_or_else(|e| fail(&format!("{}: {e}", page.display())));
                    let edited = edit_first_field(rel, &text, &format!("Edited ({i})."))
                        .unwrap_or_else(|| {
                            fail(&format!("{rel}: found no field description to edit"))
                        });
                    std::fs::write(page, edited)
                        .unwrap_or_else(|e| fail(&format!("{}: {e}", page.display())));
                    run_jobs(&copies, &dir)
                })
                .collect();
            (format!("{label}, {rel}, {} KB", size / 1000), runs)
        })
        .collect()
}

/// Times one set of jobs: a run stage by stage, then the floor, full runs
/// into fresh directories and no-change runs (median of `repeat` each).
pub fn bench_set(title: &str, jobs: &[Job], work: &Path, repeat: usize, target_s: f64) {
    println!("\n== {title} ==");
    // Nothing is deleted until the end of the whole run (see `main`).
    let out = work.join("out").join(title.replace('/', "_"));
    // Warm the page cache so that every measurement below reads from memory.
    let files: Vec<SpecFile> = jobs.iter().flat_map(Job::spec_files).collect();
    let bytes = floor(&files);

    let s = run_jobs(jobs, &out.join("staged"));
    let mb = bytes as f64 / 1e6;
    let resources: usize = s.outcomes.iter().map(|o| o.resources).sum();
    let left_out: usize = s.outcomes.iter().map(|o| o.left_out.len()).sum();
    let out_bytes: u64 = s
        .written
        .iter()
        .filter_map(|(_, p)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "pages {}   input {mb:.1} MB   resources generated {resources}   resource pages left out {left_out}   output {} files, {:.1} MB",
        s.pages,
        s.written.len(),
        out_bytes as f64 / 1e6
    );
    let medians = |runs: &[Run]| {
        let of = |f: &dyn Fn(&Run) -> Duration| secs(median(runs.iter().map(f).collect()));
        (of(&|r| r.wall), of(&|r| r.cpu))
    };
    let floors: Vec<[Duration; 2]> = (0..repeat)
        .map(|_| {
            let cpu = cpu_now();
            let wall = time(|| floor(&files)).1;
            [wall, cpu_now().saturating_sub(cpu)]
        })
        .collect();
    let fl = secs(median(floors.iter().map(|d| d[0]).collect()));
    let fl_cpu = secs(median(floors.iter().map(|d| d[1]).collect()));
    // Each full run is followed by the write floor of its files, so that
    // both meet the file system in the same state.
    let (full, write_floors): (Vec<Run>, Vec<Duration>) = (0..repeat)
        .map(|i| {
            let dir = out.join(format!("fresh{i}"));
            let run = run_jobs(jobs, &dir);
            let floor = write_floor(&run, &dir, &out.join(format!("write-floor{i}")));
            (run, floor)
        })
        .unzip();
    let (fu, fu_cpu) = medians(&full);
    println!("stage (median of the {repeat} fresh run(s) below)  wall (s)  share    cpu (s)");
    let stages: Vec<[Duration; 2]> = (0..STAGES.len())
        .map(|i| [0, 1].map(|k| median(full.iter().map(|r| r.stages[i][k]).collect())))
        .collect();
    let tot: Duration = stages.iter().map(|d| d[0]).sum();
    for ((_, name), d) in STAGES.iter().zip(&stages) {
        println!(
            "  {name:<28} {:>8.3}   {:>4.0}%   {:>7.2}",
            secs(d[0]),
            100.0 * secs(d[0]) / secs(tot),
            secs(d[1])
        );
    }
    println!(
        "  {:<28} {:>8.3}           {:>7.2}",
        "sum of stages",
        secs(tot),
        secs(stages.iter().map(|d| d[1]).sum())
    );
    let e2e = out.join("e2e");
    run_jobs(jobs, &e2e);
    let nochange: Vec<Run> = (0..repeat).map(|_| run_jobs(jobs, &e2e)).collect();
    let (nc, nc_cpu) = medians(&nochange);
    let stage = |i: usize| secs(median(nochange.iter().map(|r| r.stages[i][0]).collect()));
    let (nc_discover, nc_read) = (stage(0), stage(1));
    let one_page = one_page_change(jobs, &files, &out, repeat);
    println!("median of {repeat} run(s):                          wall (s)   cpu (s)");
    println!("  floor (read + pulldown-cmark events, parallel) {fl:>8.3}  {fl_cpu:>8.2}");
    println!(
        "  full (Config::write_to, fresh dir)             {fu:>8.3}  {fu_cpu:>8.2}   target <= {target_s} s: {}",
        ok(fu <= target_s)
    );
    // The write stage moves with the file system (docs/benchmarks.md): what
    // the generator computes is the stages before it.
    let before_write = secs(median(
        full.iter()
            .map(|r| r.stages[..5].iter().map(|d| d[0]).sum())
            .collect(),
    ));
    let write = secs(median(full.iter().map(|r| r.stages[5][0]).collect()));
    println!(
        "    of which: before writing (discover .. emit) {before_write:.3} s = {:.1}x the floor, write {write:.3} s",
        before_write / fl
    );
    println!(
        "    the file system's floor for that write (same files, create_dir_all + fs::write, parallel) {:.3} s",
        secs(median(write_floors))
    );
    println!(
        "  no-change regeneration (same dir)              {nc:>8.3}  {nc_cpu:>8.2}   target <= {target_s} s: {}",
        ok(nc <= target_s)
    );
    println!(
        "    of which: discover {nc_discover:.3} s, read + hash pages {nc_read:.3} s, key + stat outputs + cache ~{:.3} s",
        (nc - nc_discover - nc_read).max(0.0)
    );
    for (label, runs) in &one_page {
        let (op, op_cpu) = medians(runs);
        println!("  one page changed (same dir): {label}");
        println!(
            "                                                 {op:>8.3}  {op_cpu:>8.2}   {:.1}x no-change, target <= {TARGET_ONE_PAGE_RATIO}x: {}",
            op / nc,
            ok(op / nc <= TARGET_ONE_PAGE_RATIO)
        );
        let op_stage = |i: usize| secs(median(runs.iter().map(|r| r.stages[i][0]).collect()));
        let op_stages: Vec<String> = STAGES
            .iter()
            .enumerate()
            .map(|(i, (_, name))| {
                let name = name.split(' ').next().unwrap_or(name);
                format!("{name} {:.3} s", op_stage(i))
            })
            .collect();
        println!("    of which: {}", op_stages.join(", "));
    }
    println!(
        "  full / floor      {:>6.1}x   target <= {TARGET_FULL_RATIO}x: {}",
        fu / fl,
        ok(fu / fl <= TARGET_FULL_RATIO)
    );
    // However the stages overlap, a run cannot take less wall time than its
    // CPU time spread over every core: what a full run costs, not how it is
    // scheduled, decides whether the ratio above can be met.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let bound = fu_cpu / cores as f64;
    println!(
        "    lower bound for any overlap of the stages: cpu {fu_cpu:.2} s / {cores} cores = {bound:.3} s = {:.1}x the floor",
        bound / fl
    );
    println!(
        "  no-change / floor {:>6.1}x   target <= {TARGET_NOCHANGE_RATIO}x: {}",
        nc / fl,
        ok(nc / fl <= TARGET_NOCHANGE_RATIO)
    );
    println!("  throughput (full) {:.1} MB/s", mb / fu);
    let peak = peak_mb();
    println!(
        "peak memory so far (VmHWM) {peak:.0} MB   target < {TARGET_PEAK_MB} MB: {}",
        ok(peak < TARGET_PEAK_MB)
    );
}

#[cfg(test)]
mod tests {
    use super::edit_first_field;

    const OVERVIEW: &str = "# t\n\n## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>things</code></td></tr>\n<tr><td><b>Type</b></td><td>Resource</td></tr>\n<tr><td><b>Id</b></td><td><code>p.s.things</code></td></tr>\n</tbody></table>\n";

    #[test]
    fn the_one_page_edit_changes_a_field_description_in_either_table_format() {
        let html = format!("{OVERVIEW}\n## Fields\n<table><tbody><tr><th>Name</th><th>Datatype</th><th>Description</th></tr><tr><td><code>a</code></td><td><code>string</code></td><td>The a.</td></tr></tbody></table>\n");
        let md = format!("{OVERVIEW}\n## Fields\n| Name | Datatype | Description |\n|:-----|:---------|:------------|\n| `a` | `string` | The a. |\n");
        for page in [html, md] {
            let edited = edit_first_field("p/s/things/index.md", &page, "Edited (0).")
                .unwrap_or_else(|| panic!("no edit of {page}"));
            let r = stackql_codegen::parse::parse_page("p/s/things/index.md", &edited)
                .resource
                .unwrap();
            assert_eq!(r.fields[0].description, "Edited (0). The a.");
        }
        assert_eq!(edit_first_field("x.md", OVERVIEW, "Edited."), None);
    }
}
