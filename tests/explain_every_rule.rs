//! `samlcheck explain ID` works for every rule `samlcheck rules` lists: exit 0, the id and
//! default severity first, and the rule's fix on its `Fix:` line.

mod cli_support;

use cli_support::samlcheck;

#[test]
fn explain_works_for_every_listed_rule() {
    let (code, json, stderr) = samlcheck(&["rules", "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let rules: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(rules.len() > 80, "{} rules", rules.len());

    // The JSON lists the rules of the table, in its order.
    let (code, table, _) = samlcheck(&["rules"]);
    assert_eq!(code, 0);
    let table_ids: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let json_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(json_ids, table_ids);

    for rule in &rules {
        let id = rule["id"].as_str().unwrap();
        let severity = rule["severity"].as_str().unwrap();
        let fix = rule["fix"].as_str().unwrap();
        assert!(!fix.is_empty(), "{id}: no fix");
        let (code, text, stderr) = samlcheck(&["explain", id]);
        assert_eq!((code, stderr.as_str()), (0, ""), "explain {id}");
        assert!(
            text.starts_with(&format!("{id} ({severity})\n")),
            "explain {id}:\n{text}"
        );
        assert!(
            text.contains(&format!("\nFix: {fix}\n")),
            "explain {id} lacks its Fix: line:\n{text}"
        );
    }
}
