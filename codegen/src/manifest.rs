//! The `Cargo.toml` of a standalone generated crate.

/// The version a crate gets when its settings name none.
pub const DEFAULT_VERSION: &str = "0.1.0";

/// Where a standalone crate gets `forge-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A folder, relative to the crate or absolute, `/`-separated.
    Path(String),
    /// A published version from the registry.
    Version(String),
    /// The runtime's sources are a module of the crate (`src/forge_runtime/`), so the crate
    /// depends on what the runtime depends on, given here as the runtime has them.
    Vendored(Vec<Dependency>),
}

/// One `[dependencies]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package name.
    pub name: String,
    /// The version requirement.
    pub version: String,
    /// `default-features`.
    pub default_features: bool,
    /// `features`.
    pub features: Vec<String>,
}

impl Dependency {
    fn new(name: &str, version: &str, features: &[&str]) -> Self {
        Dependency {
            name: name.to_owned(),
            version: version.to_owned(),
            default_features: true,
            features: features.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    /// The entry's line.
    fn line(&self) -> String {
        let name = &self.name;
        let version = &self.version;
        if self.default_features && self.features.is_empty() {
            return format!("{name} = \"{version}\"");
        }
        let mut table = format!("{name} = {{ version = \"{version}\"");
        if !self.default_features {
            table.push_str(", default-features = false");
        }
        if !self.features.is_empty() {
            let features: Vec<String> = self.features.iter().map(|f| format!("\"{f}\"")).collect();
            table.push_str(&format!(", features = [{}]", features.join(", ")));
        }
        table.push_str(" }");
        table
    }

    /// Both requirements in one entry: the runtime's version (the more exact one), the default
    /// features if either wants them, every feature of both.
    fn merge(&mut self, runtime: &Dependency) {
        self.version.clone_from(&runtime.version);
        self.default_features |= runtime.default_features;
        self.features.extend(runtime.features.iter().cloned());
        self.features.sort();
        self.features.dedup();
    }
}

/// What the generated code itself uses, besides the runtime.
fn own_dependencies() -> Vec<Dependency> {
    vec![
        Dependency::new("serde", "1", &["derive"]),
        Dependency::new("serde_json", "1", &[]),
    ]
}

/// The package a manifest describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Package<'a> {
    /// The package name.
    pub name: &'a str,
    /// Its version (`settings.version`).
    pub version: &'a str,
    /// Its Cargo features ([`crate::Generated::features`]).
    pub features: &'a Features,
}

/// A generated crate's Cargo features: one per area of the API, `full`, `strict`, and the
/// shared ones (see [`crate::ir::features`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// The areas' features (and `other-types`), by name: (name, operations, the shared features
    /// it enables).
    pub areas: Vec<(String, usize, Vec<String>)>,
    /// The shared features, in order.
    pub shared: Vec<String>,
    /// Whether `default` is `full` (else it is empty).
    pub default_all: bool,
    /// The API's operation count, for the comment that states the default.
    pub operations: usize,
}

impl Features {
    /// The features of a lowered API.
    pub fn of(api: &crate::ir::Api) -> Self {
        use crate::ir::features::Features as IrFeatures;
        let f = &api.features;
        let areas = f
            .list
            .iter()
            .enumerate()
            .map(|(i, feature)| {
                let enables = f
                    .shared
                    .iter()
                    .enumerate()
                    .filter(|(_, by)| by.iter().any(|id| id.index() == i))
                    .map(|(k, _)| IrFeatures::shared_name(k))
                    .collect();
                (feature.name.clone(), feature.operations, enables)
            })
            .collect();
        Features {
            areas,
            shared: (0..f.shared.len()).map(IrFeatures::shared_name).collect(),
            default_all: f.default_all,
            operations: api.operations.len(),
        }
    }

    /// The `[features]` table, with a comment that states the default.
    pub fn table(&self) -> String {
        use crate::ir::features::{DEFAULT_ALL_UP_TO, OTHER_TYPES};
        let list = |names: &mut dyn Iterator<Item = &String>| {
            let quoted: Vec<String> = names.map(|n| format!("\"{n}\"")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut text = String::from("[features]\n");
        if self.default_all {
            text.push_str(&format!(
                "# Everything: the API has {} (a crate for more than {DEFAULT_ALL_UP_TO} operations enables\n\
                 # none by default).\n\
                 default = [\"full\"]\n",
                match self.operations {
                    1 => "1 operation".to_owned(),
                    n => format!("{n} operations"),
                }
            ));
        } else {
            text.push_str(&format!(
                "# Nothing: the API has {} operations (more than {DEFAULT_ALL_UP_TO}), so a crate that uses it\n\
                 # enables the areas it calls (`features = [\"...\"]`), or `full`.\n\
                 default = []\n",
                self.operations
            ));
        }
        text.push_str("# Every area of the API.\n");
        text.push_str(&format!(
            "full = {}\n",
            list(&mut self.areas.iter().map(|a| &a.0))
        ));
        text.push_str(
            "# Reject values that differ from a schema `const` instead of accepting them.\n\
             strict = []\n",
        );
        if !self.areas.is_empty() {
            text.push_str(
                "# One per area of the API: its operations (a module of src/resources/) and the types they\n\
                 # reach.\n",
            );
        }
        for (name, operations, enables) in &self.areas {
            if name == OTHER_TYPES {
                text.push_str("# The schemas no operation uses (webhook payloads, event types).\n");
            } else if *operations == 1 {
                text.push_str("# 1 operation.\n");
            } else {
                text.push_str(&format!("# {operations} operations.\n"));
            }
            text.push_str(&format!("{name} = {}\n", list(&mut enables.iter())));
        }
        if !self.shared.is_empty() {
            text.push_str(
                "# The types several areas reach, each enabled by those areas (not meant to be enabled\n\
                 # on their own).\n",
            );
        }
        for name in &self.shared {
            text.push_str(&format!("{name} = []\n"));
        }
        text
    }
}

impl Features {
    /// What a hand-written manifest (a checked-in crate's) lacks of what the generated code
    /// uses, one line each: a feature it does not declare, or one that does not enable what it
    /// must. Its other features and entries, and its `default`, are its own business.
    pub fn missing_in(&self, manifest: &str) -> Vec<String> {
        let declared = declared_features(manifest);
        let mut problems = Vec::new();
        let mut require = |name: &str, enables: &[&str], why: &str| match declared.get(name) {
            None => problems.push(format!("`{name}` is not declared ({why})")),
            Some(list) => {
                let lacking: Vec<String> = enables
                    .iter()
                    .filter(|e| !list.iter().any(|l| l == *e))
                    .map(|e| format!("\"{e}\""))
                    .collect();
                if !lacking.is_empty() {
                    problems.push(format!("`{name}` does not enable {}", lacking.join(", ")));
                }
            }
        };
        require("strict", &[], "the constant types read it");
        let areas: Vec<&str> = self.areas.iter().map(|a| a.0.as_str()).collect();
        require("full", &areas, "every area");
        for (name, _, enables) in &self.areas {
            let enables: Vec<&str> = enables.iter().map(String::as_str).collect();
            let why = if name == crate::ir::features::OTHER_TYPES {
                "the schemas no operation uses"
            } else {
                "an area of the API"
            };
            require(name, &enables, why);
        }
        for name in &self.shared {
            require(name, &[], "types several areas reach");
        }
        problems
    }
}

/// The `[features]` table of a manifest: each name with the list it enables (a small reader for
/// the one table: `name = ["a", "b"]`, lists over several lines, comments).
fn declared_features(manifest: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut features = std::collections::BTreeMap::new();
    let mut in_table = false;
    let mut pending: Option<(String, String)> = None;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some((name, mut text)) = pending.take() {
            text.push_str(line);
            if line.contains(']') {
                features.insert(name, strings_in(&text));
            } else {
                pending = Some((name, text));
            }
            continue;
        }
        if line.starts_with('[') && !line.contains('=') {
            in_table = line == "[features]";
            continue;
        }
        let Some((name, value)) = line.split_once('=').filter(|_| in_table) else {
            continue;
        };
        let name = name.trim().trim_matches('"').to_owned();
        if value.contains(']') || !value.contains('[') {
            features.insert(name, strings_in(value));
        } else {
            pending = Some((name, value.to_owned()));
        }
    }
    features
}

/// The `"..."` strings of a TOML list.
fn strings_in(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The manifest text for a crate at [`DEFAULT_VERSION`]; see [`package_toml`].
pub fn cargo_toml(crate_name: &str, features: &Features, runtime: &RuntimeSource) -> String {
    package_toml(
        &Package {
            name: crate_name,
            version: DEFAULT_VERSION,
            features,
        },
        runtime,
    )
}

/// The manifest text. The caller adds what only it knows (a workspace table, a marker line). A
/// crate whose runtime is a path cannot be published, so only that one says `publish = false`.
pub fn package_toml(package: &Package<'_>, runtime: &RuntimeSource) -> String {
    let mut dependencies = own_dependencies();
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut note = String::new();
    match runtime {
        RuntimeSource::Path(path) => lines.push((
            "forge-runtime".to_owned(),
            format!("forge-runtime = {{ path = \"{path}\" }}"),
        )),
        RuntimeSource::Version(version) => {
            dependencies.push(Dependency::new("forge-runtime", version, &[]))
        }
        RuntimeSource::Vendored(runtime_deps) => {
            note = "# The generated code's, and those of the runtime in src/forge_runtime/ as \
                    forge-runtime states them.\n"
                .to_owned();
            for dep in runtime_deps {
                match dependencies.iter_mut().find(|d| d.name == dep.name) {
                    Some(own) => own.merge(dep),
                    None => dependencies.push(dep.clone()),
                }
            }
        }
    }
    lines.extend(dependencies.iter().map(|d| (d.name.clone(), d.line())));
    lines.sort();
    let lines: Vec<String> = lines.into_iter().map(|(_, line)| line).collect();
    let publish = match runtime {
        RuntimeSource::Path(_) => "publish = false\n",
        RuntimeSource::Version(_) | RuntimeSource::Vendored(_) => "",
    };
    // Edition 2024: rustdoc compiles a crate's doc tests as one program, so the example on every
    // operation costs one build rather than one each (GitHub's 768: a minute, not many).
    format!(
        "# @generated by forge: a standalone client crate.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         edition = \"2024\"\n\
         {publish}\
         \n\
         {features}\
         \n\
         [dependencies]\n\
         {note}{lines}\n",
        name = package.name,
        version = package.version,
        features = package.features.table(),
        lines = lines.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_areas() -> Features {
        Features {
            areas: vec![
                ("charges".into(), 3, vec!["_shared-1".into()]),
                ("customers".into(), 1, vec!["_shared-1".into()]),
            ],
            shared: vec!["_shared-1".into()],
            default_all: false,
            operations: 400,
        }
    }

    #[test]
    fn the_features_table_states_its_default_and_links_shared_features() {
        let table = two_areas().table();
        assert!(table.contains("default = []\n"), "{table}");
        assert!(
            table.contains("full = [\"charges\", \"customers\"]\n"),
            "{table}"
        );
        assert!(table.contains("charges = [\"_shared-1\"]\n"), "{table}");
        assert!(table.contains("_shared-1 = []\n"), "{table}");
        assert!(two_areas().missing_in(&table).is_empty());
    }

    #[test]
    fn a_hand_written_manifest_must_declare_what_the_code_uses() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\"]\nfull = [\n  \"charges\", # the one\n]\nstrict = []\ncharges = []\n\n[dependencies]\ncustomers = \"1\"\n";
        assert_eq!(
            two_areas().missing_in(manifest),
            vec![
                "`full` does not enable \"customers\"".to_owned(),
                "`charges` does not enable \"_shared-1\"".to_owned(),
                "`customers` is not declared (an area of the API)".to_owned(),
                "`_shared-1` is not declared (types several areas reach)".to_owned(),
            ]
        );
    }

    #[test]
    fn a_path_runtime_is_not_publishable() {
        let text = cargo_toml(
            "demo",
            &Features::default(),
            &RuntimeSource::Path("../runtime".into()),
        );
        assert!(text.contains("version = \"0.1.0\"\n"), "{text}");
        assert!(text.contains("publish = false\n"), "{text}");
        assert!(text.ends_with(
            "[dependencies]\nforge-runtime = { path = \"../runtime\" }\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n"
        ), "{text}");
    }

    #[test]
    fn a_vendored_runtime_brings_its_dependencies_merged_with_the_crates() {
        let runtime = vec![
            Dependency {
                name: "serde".into(),
                version: "1.0.200".into(),
                default_features: false,
                features: vec!["std".into()],
            },
            Dependency::new("bytes", "1.7", &[]),
            Dependency {
                name: "tokio".into(),
                version: "1.40".into(),
                default_features: false,
                features: vec!["time".into()],
            },
        ];
        let text = package_toml(
            &Package {
                name: "demo",
                version: "2.3.4",
                features: &Features::default(),
            },
            &RuntimeSource::Vendored(runtime),
        );
        assert!(text.contains("version = \"2.3.4\"\n"), "{text}");
        assert!(!text.contains("publish"), "{text}");
        assert!(text.ends_with(
            "bytes = \"1.7\"\nserde = { version = \"1.0.200\", features = [\"derive\", \"std\"] }\nserde_json = \"1\"\ntokio = { version = \"1.40\", default-features = false, features = [\"time\"] }\n"
        ), "{text}");
    }
}
