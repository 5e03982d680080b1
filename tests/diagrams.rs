//! Workflow diagrams cannot drift from their task templates: every
//! `listings/<app>/templates/<name>.yaml` has a `listings/<app>/diagrams/<name>.mmd`, and the
//! diagram is exactly what the template generates. `SNAPSHOTS=overwrite` regenerates them.

use std::path::Path;

use book_verification::Evidence;
use tasker_quickstarts::evidence::Guard;
use tasker_quickstarts::{overwrite_snapshots, repo_root};

/// A left-to-right flowchart: one node per step, one arrow per dependency.
fn diagram(root: &Path, template_path: &Path) -> String {
    let text = std::fs::read_to_string(template_path).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let rel = template_path.strip_prefix(root).unwrap().display().to_string();
    let mut out = format!("%% Generated from {rel} by tests/diagrams.rs; do not edit.\nflowchart LR\n");
    for step in yaml["steps"].as_sequence().expect("a template has steps") {
        let name = step["name"].as_str().unwrap();
        let deps = step["dependencies"].as_sequence().or(step["depends_on"].as_sequence());
        match deps {
            Some(deps) if !deps.is_empty() => {
                for d in deps {
                    out.push_str(&format!("    {} --> {name}\n", d.as_str().unwrap()));
                }
            }
            _ => out.push_str(&format!("    {name}\n")),
        }
    }
    out
}

#[test]
fn every_workflow_diagram_matches_its_template() {
    let _evidence = Guard::new(Evidence::Diagrams);
    let root = repo_root();
    let overwrite = overwrite_snapshots();
    let mut checked = 0;
    let mut problems = Vec::new();
    for app in std::fs::read_dir(root.join("listings")).unwrap().map(|e| e.unwrap().path()) {
        let Ok(templates) = std::fs::read_dir(app.join("templates")) else { continue };
        for template in templates.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
            let mmd = app.join("diagrams").join(template.file_stem().unwrap()).with_extension("mmd");
            let want = diagram(&root, &template);
            let have = std::fs::read_to_string(&mmd).unwrap_or_default();
            checked += 1;
            if have != want {
                if overwrite {
                    std::fs::create_dir_all(mmd.parent().unwrap()).unwrap();
                    std::fs::write(&mmd, &want).unwrap();
                    eprintln!("SNAPSHOTS=overwrite: regenerated {}", mmd.display());
                } else {
                    problems.push(format!(
                        "{} does not match {} (regenerate: SNAPSHOTS=overwrite cargo test --test diagrams)\n--- expected\n{want}--- found\n{have}",
                        mmd.display(),
                        template.display()
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "no task templates found under listings/*/templates");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
