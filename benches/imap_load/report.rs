//! Statistics, the table, memory readings and the JSON document.

use std::fmt::Write as _;
use std::fs;

use crate::scenarios::{Bench, Row, Target};
use crate::CONNECTIONS;

/// The median, minimum and maximum of samples.
pub fn stats(samples: &[f64]) -> (f64, f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (median, sorted[0], sorted[n - 1])
}

/// A number with three significant digits or so.
pub fn number(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// How much faster imapkit is (above 1) than Dovecot, by the medians.
pub fn speedup(row: &Row) -> f64 {
    let (ours, _, _) = stats(&row.samples[0]);
    let (dovecot, _, _) = stats(&row.samples[1]);
    if row.higher_is_better {
        ours / dovecot
    } else {
        dovecot / ours
    }
}

/// The ratio as the README words it.
pub fn verdict(speedup: f64) -> String {
    if speedup >= 1.0 {
        format!("{} x faster", number(speedup))
    } else {
        format!("{} x slower", number(1.0 / speedup))
    }
}

/// A median with the range of the rounds, for the table.
pub fn cell(samples: &[f64]) -> String {
    let (median, min, max) = stats(samples);
    if samples.len() == 1 {
        number(median)
    } else {
        format!("{} ({}-{})", number(median), number(min), number(max))
    }
}

/// Prints the table.
pub fn print_table(rows: &[Row]) {
    println!(
        "\n{:<46} {:<6} {:<26} {:<26} imapkit vs Dovecot",
        "scenario", "unit", "imapkit (min-max)", "Dovecot (min-max)"
    );
    for row in rows {
        let mut ratio = verdict(speedup(row));
        if row.checks[0] != row.checks[1] {
            let _ = write!(
                ratio,
                "  (answers differ: {} vs {})",
                row.checks[0], row.checks[1]
            );
        }
        println!(
            "{:<46} {:<6} {:<26} {:<26} {ratio}",
            row.name,
            row.unit,
            cell(&row.samples[0]),
            cell(&row.samples[1])
        );
    }
}

/// Memory of a server's processes while sessions are open.
#[derive(Clone, Copy, Default)]
pub struct Memory {
    /// Processes counted.
    pub processes: usize,
    /// Sum of VmRSS, KiB.
    pub rss: u64,
    /// Sum of Pss, KiB.
    pub pss: u64,
}

/// A `Name:   123 kB` field of a /proc file, in KiB.
pub fn proc_field(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Adds a process's VmRSS and PSS to `memory`.
pub fn add_process(memory: &mut Memory, pid: u32) {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    memory.processes += 1;
    memory.rss += proc_field(&status, "VmRSS:");
    memory.pss += proc_field(&rollup, "Pss:");
}

/// The memory of the target's processes: ours, or Dovecot's `imap`
/// processes with a file of the bench user's Maildir open (its index),
/// which are this benchmark's sessions.
pub fn memory(target: &Target) -> Memory {
    let mut memory = Memory::default();
    if let Some(child) = &target.child {
        add_process(&mut memory, child.id());
        return memory;
    }
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse().ok()) else {
            continue;
        };
        let comm = fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        let open_in_maildir = fs::read_dir(entry.path().join("fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|file| file.starts_with(&target.maildir)));
        if comm.trim() == "imap" && open_in_maildir {
            add_process(&mut memory, pid);
        }
    }
    memory
}

/// The JSON document of the run.
pub fn json(bench: &Bench, corpus_bytes: u64, rows: &[Row], memory: &[Memory; 2]) -> String {
    let list = |samples: &[f64]| {
        samples
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!(
        "{{\n  \"messages\": {},\n  \"corpus_bytes\": {corpus_bytes},\n  \"rounds\": {},\n  \"scenarios\": [\n",
        bench.messages, bench.rounds
    );
    for (i, row) in rows.iter().enumerate() {
        let (ours, _, _) = stats(&row.samples[0]);
        let (dovecot, _, _) = stats(&row.samples[1]);
        let _ = writeln!(
            out,
            "    {{\"name\": \"{}\", \"unit\": \"{}\", \"higher_is_better\": {}, \
             \"imapkit\": {{\"median\": {ours:.3}, \"samples\": [{}], \"check\": {}}}, \
             \"dovecot\": {{\"median\": {dovecot:.3}, \"samples\": [{}], \"check\": {}}}, \
             \"speedup\": {:.3}}}{}",
            row.name.replace('"', "\\\""),
            row.unit,
            row.higher_is_better,
            list(&row.samples[0]),
            row.checks[0],
            list(&row.samples[1]),
            row.checks[1],
            speedup(row),
            if i + 1 < rows.len() { "," } else { "" }
        );
    }
    let object = |m: &Memory| {
        format!(
            "{{\"processes\": {}, \"rss_kib\": {}, \"pss_kib\": {}}}",
            m.processes, m.rss, m.pss
        )
    };
    let _ = write!(
        out,
        "  ],\n  \"memory_with_{CONNECTIONS}_sessions\": {{\"imapkit\": {}, \"dovecot\": {}}}\n}}\n",
        object(&memory[0]),
        object(&memory[1])
    );
    out
}
