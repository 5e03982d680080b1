//! Every badge colour pair in theme/verification.css reads at 4.5:1 or better (WCAG AA for
//! normal text). The badges paint their own background, so this holds in every mdBook theme.
//! (Tests only: the CSS is the data.)

const CSS: &str = include_str!("../../../theme/verification.css");

/// `(selector, text colour, background colour)` for each badge rule with both colours.
fn badge_colours() -> Vec<(String, String, String)> {
    let mut pairs = Vec::new();
    for rule in CSS.split('}') {
        let Some((selector, body)) = rule.split_once('{') else { continue };
        let selector = selector.trim().rsplit('\n').next().unwrap_or("").trim();
        if !selector.starts_with(".verification-") || selector.contains(' ') {
            continue;
        }
        let value = |name: &str| {
            body.split(';').find_map(|decl| {
                let (key, value) = decl.split_once(':')?;
                (key.trim() == name).then(|| value.trim().to_string())
            })
        };
        // Rules whose colours come from the theme (var(--fg) …) follow mdBook's own contrast.
        if let (Some(color), Some(background)) = (value("color"), value("background"))
            && color.starts_with('#')
            && background.starts_with('#')
        {
            pairs.push((selector.to_string(), color, background));
        }
    }
    pairs
}

/// Relative luminance of `#rrggbb`, as WCAG 2 defines it.
fn luminance(hex: &str) -> f64 {
    let hex = hex.strip_prefix('#').unwrap_or_else(|| panic!("not a #rrggbb colour: {hex}"));
    assert_eq!(hex.len(), 6, "not a #rrggbb colour: #{hex}");
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_contrast_formula_matches_wcag() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
}

#[test]
fn every_badge_reads_at_4_5_to_1() {
    let pairs = badge_colours();
    assert!(pairs.len() >= 5, "found only {pairs:?} in theme/verification.css");
    let low: Vec<String> = pairs
        .iter()
        .map(|(selector, fg, bg)| (selector, fg, bg, contrast(fg, bg)))
        .filter(|(.., ratio)| *ratio < 4.5)
        .map(|(selector, fg, bg, ratio)| format!("{selector}: {fg} on {bg} is {ratio:.2}:1"))
        .collect();
    assert!(low.is_empty(), "badges below 4.5:1:\n{}", low.join("\n"));
}
