//! CollateX JSON input: `{"witnesses": [{"id": ..., "content": ...}, ...]}`, or a list of
//! such units (as in CollateX's Darwin data).

use serde_json::Value;

use crate::DiffError;

/// One witness read from CollateX JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonWitness {
    /// The witness id (`"1859"`).
    pub id: String,
    /// Its text. With a list of units, the witness's contents in unit order, joined by a
    /// blank line (so each unit is a paragraph); offsets in reports are offsets into this.
    pub content: String,
}

/// Reads CollateX JSON. Witnesses come in the order of their first appearance; a witness
/// may be given as `content` or as pre-tokenized `tokens` (`[{"t": "When "}, ...]`, whose
/// `t` values are joined as they are). An id may come once in each unit (the units of one
/// witness are joined); twice in one unit is [`DiffError::DuplicateWitness`].
pub fn parse(json: &str) -> Result<Vec<JsonWitness>, DiffError> {
    let value: Value = serde_json::from_str(json).map_err(|e| DiffError::Json(e.to_string()))?;
    let units: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![&value],
        _ => {
            return Err(DiffError::Json(
                "expected an object with \"witnesses\", or a list of them".into(),
            ))
        }
    };
    let listed = value.is_array();
    let mut out: Vec<JsonWitness> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        // The witnesses of this unit so far: (id, 1-based position).
        let mut seen: Vec<(String, usize)> = Vec::new();
        let Some(list) = unit.get("witnesses").and_then(Value::as_array) else {
            return Err(DiffError::Json(format!(
                "unit {}: no \"witnesses\" list",
                u + 1
            )));
        };
        for (k, w) in list.iter().enumerate() {
            let id = match w.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(DiffError::Json(format!(
                        "unit {}, witness {}: no \"id\"",
                        u + 1,
                        k + 1
                    )))
                }
            };
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
                return Err(DiffError::DuplicateWitness {
                    id,
                    unit: listed.then_some(u + 1),
                    first: *first,
                    second: k + 1,
                });
            }
            seen.push((id.clone(), k + 1));
            let content = if let Some(c) = w.get("content").and_then(Value::as_str) {
                c.to_string()
            } else if let Some(tokens) = w.get("tokens").and_then(Value::as_array) {
                let mut s = String::new();
                for t in tokens {
                    match t.get("t").and_then(Value::as_str) {
                        Some(text) => s.push_str(text),
                        None => {
                            return Err(DiffError::Json(format!(
                                "witness {id:?}: a token without \"t\""
                            )))
                        }
                    }
                }
                s
            } else {
                return Err(DiffError::Json(format!(
                    "witness {id:?}: no \"content\" or \"tokens\""
                )));
            };
            match out.iter_mut().find(|x| x.id == id) {
                Some(x) => {
                    x.content.push_str("\n\n");
                    x.content.push_str(&content);
                }
                None => out.push(JsonWitness { id, content }),
            }
        }
    }
    if out.is_empty() {
        return Err(DiffError::Json("no witnesses".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unit_and_a_list_of_units() {
        let one = parse(r#"{"witnesses":[{"id":"A","content":"a b"},{"id":"B","content":"b a"}]}"#)
            .unwrap();
        assert_eq!(one.len(), 2);
        assert_eq!(one[1].content, "b a");
        let many = parse(
            r#"[{"witnesses":[{"id":"A","content":"one"},{"id":"B","content":"uno"}]},
               {"witnesses":[{"id":"B","tokens":[{"t":"dos "},{"t":"x"}]},{"id":"A","content":"two"}]}]"#,
        )
        .unwrap();
        assert_eq!(
            many[0],
            JsonWitness {
                id: "A".into(),
                content: "one\n\ntwo".into()
            }
        );
        assert_eq!(many[1].content, "uno\n\ndos x");
        assert!(parse("[1]").is_err());
        assert!(parse("{").is_err());
    }

    #[test]
    fn an_id_twice_in_one_unit_is_an_error() {
        let err = parse(
            r#"{"witnesses":[{"id":"A","content":"the cat"},{"id":"A","content":"the dog"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "CollateX JSON: duplicate witness id \"A\" (witnesses 1 and 2)"
        );
        // A number and a string that read the same are the same id.
        let err = parse(
            r#"[{"witnesses":[{"id":"A","content":"a"},{"id":"B","content":"b"}]},
               {"witnesses":[{"id":1859,"content":"c"},{"id":"B","content":"d"},{"id":"1859","content":"e"}]}]"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "CollateX JSON: duplicate witness id \"1859\" (unit 2, witnesses 1 and 3)"
        );
    }
}
