//! One convention for every command's flags, in `forge` and in `cargo xtask`: `--flag value` or
//! `--flag=value` for flags that take a value, bare `--flag` for switches, `-h`/`--help`
//! anywhere. Errors name the flag at fault. Written by hand: a handful of flags does not justify
//! compiling clap on every fresh checkout.

use std::collections::BTreeMap;

/// What a command accepts.
#[derive(Debug, Clone, Copy)]
pub enum Flag {
    /// A switch: present or not.
    Switch(&'static str),
    /// A flag with one value, given at most once.
    Value(&'static str),
    /// A flag with a comma-separated list of values; may be given again to add more.
    List(&'static str),
}

impl Flag {
    fn name(self) -> &'static str {
        match self {
            Flag::Switch(n) | Flag::Value(n) | Flag::List(n) => n,
        }
    }
}

/// The flags given to one command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// `true` when `-h` or `--help` was among them.
    pub help: bool,
    switches: Vec<&'static str>,
    values: BTreeMap<&'static str, String>,
    lists: BTreeMap<&'static str, Vec<String>>,
}

impl Parsed {
    /// Whether a switch was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    /// A flag's value, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A list flag's values (empty when not given).
    pub fn list(&self, name: &str) -> &[String] {
        self.lists.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether any flag was given.
    pub fn is_empty(&self) -> bool {
        self.switches.is_empty() && self.values.is_empty() && self.lists.is_empty()
    }
}

/// Parses `args` (after the command name) against `accepted`; `command` names the command in
/// errors.
pub fn parse(command: &str, args: &[String], accepted: &[Flag]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-h" || arg == "--help" {
            parsed.help = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let Some(flag) = accepted.iter().find(|f| f.name() == name).copied() else {
            return Err(if name.starts_with('-') {
                format!("unknown option `{name}` for `{command}`")
            } else {
                format!("unexpected argument `{name}` for `{command}`")
            });
        };
        let mut take_value = || -> Result<String, String> {
            let value = match inline.clone() {
                Some(v) => v,
                None => match iter.next() {
                    Some(v) if !v.starts_with("--") => v.clone(),
                    _ => return Err(format!("{name} needs a value")),
                },
            };
            if value.is_empty() {
                return Err(format!("{name} needs a value"));
            }
            Ok(value)
        };
        match flag {
            Flag::Switch(n) => {
                if inline.is_some() {
                    return Err(format!("{n} takes no value"));
                }
                if parsed.switches.contains(&n) {
                    return Err(format!("{n} given twice"));
                }
                parsed.switches.push(n);
            }
            Flag::Value(n) => {
                let value = take_value()?;
                if parsed.values.insert(n, value).is_some() {
                    return Err(format!("{n} given twice"));
                }
            }
            Flag::List(n) => {
                let value = take_value()?;
                let items: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect();
                if items.is_empty() {
                    return Err(format!("{n} needs a value"));
                }
                parsed.lists.entry(n).or_default().extend(items);
            }
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag::Switch("--lenient"),
        Flag::Value("--spec"),
        Flag::List("--only"),
    ];

    fn run(args: &[&str]) -> Result<Parsed, String> {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        parse("cmd", &args, FLAGS)
    }

    #[test]
    fn values_come_inline_or_next() {
        let p = run(&["--spec=a.yaml", "--lenient", "--only", "x, y", "--only=z"]).unwrap();
        assert_eq!(p.value("--spec"), Some("a.yaml"));
        assert!(p.switch("--lenient"));
        assert_eq!(p.list("--only"), ["x", "y", "z"]);
    }

    #[test]
    fn errors_name_the_flag() {
        assert_eq!(run(&["--spec"]).unwrap_err(), "--spec needs a value");
        assert_eq!(
            run(&["--spec", "--lenient"]).unwrap_err(),
            "--spec needs a value"
        );
        assert_eq!(run(&["--spec="]).unwrap_err(), "--spec needs a value");
        assert_eq!(
            run(&["--spec", "a", "--spec", "b"]).unwrap_err(),
            "--spec given twice"
        );
        assert_eq!(
            run(&["--lenient=1"]).unwrap_err(),
            "--lenient takes no value"
        );
        assert_eq!(
            run(&["--lenient", "--lenient"]).unwrap_err(),
            "--lenient given twice"
        );
        assert_eq!(run(&["--only", ","]).unwrap_err(), "--only needs a value");
        assert_eq!(
            run(&["--frob"]).unwrap_err(),
            "unknown option `--frob` for `cmd`"
        );
        assert_eq!(
            run(&["x"]).unwrap_err(),
            "unexpected argument `x` for `cmd`"
        );
    }

    #[test]
    fn help_is_seen_anywhere() {
        assert!(run(&["--spec", "a", "-h"]).unwrap().help);
    }
}
