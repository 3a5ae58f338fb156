//! A received request, read once, with the parameter checks every endpoint shares
//! (repeated vs comma-joined query keys, integer ranges, string lengths, JSON body fields).

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::{Map, Value};

use super::reply::Reply;

/// One request as the handlers see it.
pub(crate) struct Req {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Req {
    /// Every value given for `key`, in order (`?k=1&k=2`).
    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.query.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// True when `key` appears in the query at all.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.query.iter().any(|(k, _)| k == key)
    }

    /// The single value of `key`; a repeated key is a 400.
    pub(crate) fn one(&self, key: &str) -> Result<Option<&str>, Reply> {
        match self.all(key).as_slice() {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => Err(Reply::bad_request(format!("{key} must be given once"))),
        }
    }

    /// An optional integer in `min..=max`.
    pub(crate) fn int_in(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, Reply> {
        self.one(key)?.map(|v| int_value(key, v, min, max)).transpose()
    }

    /// An optional id (an integer ≥ 1) as its typed id.
    pub(crate) fn id<I: From<u64>>(&self, key: &str) -> Result<Option<I>, Reply> {
        Ok(self.int_in(key, 1, i64::MAX)?.map(|n| I::from(n.unsigned_abs())))
    }

    /// Repeated integer keys (`?k=1&k=2`), each ≥ 1, at most `max_count` of them.
    pub(crate) fn repeated_ids<I: From<u64>>(&self, key: &str, max_count: usize) -> Result<Vec<I>, Reply> {
        let values = self.all(key);
        check_count(key, values.len(), max_count)?;
        values
            .into_iter()
            .map(|v| {
                if v.contains(',') {
                    return Err(Reply::bad_request(format!(
                        "{key} must be repeated (`{key}=1&{key}=2`), not comma-joined"
                    )));
                }
                int_value(key, v, 1, i64::MAX).map(|n| I::from(n.unsigned_abs()))
            })
            .collect()
    }

    /// Repeated string keys, at most `max_count` of them.
    pub(crate) fn repeated_strings(&self, key: &str, max_count: usize) -> Result<Vec<&str>, Reply> {
        let values = self.all(key);
        check_count(key, values.len(), max_count)?;
        Ok(values)
    }

    /// A comma-joined list (`?k=a,b`) given once; a repeated key is a 400.
    pub(crate) fn comma_joined(&self, key: &str) -> Result<Vec<&str>, Reply> {
        if self.all(key).len() > 1 {
            return Err(Reply::bad_request(format!("{key} must be comma-joined (`{key}=a,b`), not repeated")));
        }
        Ok(self.one(key)?.map(|v| v.split(',').filter(|s| !s.is_empty()).collect()).unwrap_or_default())
    }

    /// A page cursor, if given: 4–28 characters and one this server issued.
    pub(crate) fn cursor(&self) -> Result<usize, Reply> {
        let Some(cursor) = self.one("cursor")? else {
            return Ok(0);
        };
        if !(4..=28).contains(&cursor.chars().count()) {
            return Err(Reply::bad_request("cursor must be 4 to 28 characters long"));
        }
        super::ids::offset_of(cursor).ok_or_else(|| Reply::bad_request("cursor is not valid"))
    }

    /// The body as a JSON object; anything else is a 400.
    pub(crate) fn json_object(&self) -> Result<JsonBody, Reply> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(_) => Err(Reply::bad_request("request body must be a JSON object")),
            Err(e) => Err(Reply::bad_request(format!("request body is not valid JSON: {e}"))),
        }
    }

    /// A request header as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Checks a string length (in characters) against `min..=max`.
pub(crate) fn check_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), Reply> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(Reply::bad_request(if min == 0 {
            format!("{field} must be at most {max} characters (got {n})")
        } else {
            format!("{field} must be {min} to {max} characters (got {n})")
        }));
    }
    Ok(())
}

fn check_count(key: &str, count: usize, max: usize) -> Result<(), Reply> {
    if count > max {
        return Err(Reply::bad_request(format!("{key} accepts at most {max} values (got {count})")));
    }
    Ok(())
}

fn int_value(key: &str, value: &str, min: i64, max: i64) -> Result<i64, Reply> {
    let n: i64 = value.parse().map_err(|_| Reply::bad_request(format!("{key} must be an integer (got {value:?})")))?;
    if n < min || n > max {
        return Err(Reply::bad_request(if max == i64::MAX {
            format!("{key} must be at least {min} (got {n})")
        } else {
            format!("{key} must be between {min} and {max} (got {n})")
        }));
    }
    Ok(n)
}

/// A JSON request body with typed, field-naming accessors.
pub(crate) struct JsonBody(pub(crate) Map<String, Value>);

impl JsonBody {
    fn present(&self, field: &str) -> Option<&Value> {
        self.0.get(field).filter(|v| !v.is_null())
    }

    pub(crate) fn is_set(&self, field: &str) -> bool {
        self.present(field).is_some()
    }

    pub(crate) fn opt_str(&self, field: &str) -> Result<Option<&str>, Reply> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Reply::bad_request(format!("{field} must be a string"))),
        }
    }

    pub(crate) fn req_str(&self, field: &str) -> Result<&str, Reply> {
        self.opt_str(field)?.ok_or_else(|| Reply::bad_request(format!("{field} is required")))
    }

    pub(crate) fn opt_int(&self, field: &str, min: i64, max: i64) -> Result<Option<i64>, Reply> {
        match self.present(field) {
            None => Ok(None),
            Some(v) => {
                let n = v.as_i64().ok_or_else(|| Reply::bad_request(format!("{field} must be an integer")))?;
                if n < min || n > max {
                    return Err(Reply::bad_request(if max == i64::MAX {
                        format!("{field} must be at least {min} (got {n})")
                    } else {
                        format!("{field} must be between {min} and {max} (got {n})")
                    }));
                }
                Ok(Some(n))
            }
        }
    }

    pub(crate) fn opt_id<I: From<u64>>(&self, field: &str) -> Result<Option<I>, Reply> {
        Ok(self.opt_int(field, 1, i64::MAX)?.map(|n| I::from(n.unsigned_abs())))
    }

    pub(crate) fn req_id<I: From<u64>>(&self, field: &str) -> Result<I, Reply> {
        self.opt_int(field, 1, i64::MAX)?
            .map(|n| I::from(n.unsigned_abs()))
            .ok_or_else(|| Reply::bad_request(format!("{field} is required")))
    }

    pub(crate) fn opt_bool(&self, field: &str) -> Result<Option<bool>, Reply> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Reply::bad_request(format!("{field} must be a boolean"))),
        }
    }

    pub(crate) fn opt_array(&self, field: &str) -> Result<Option<&Vec<Value>>, Reply> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(Reply::bad_request(format!("{field} must be an array"))),
        }
    }

    pub(crate) fn opt_str_list(&self, field: &str) -> Result<Option<Vec<String>>, Reply> {
        self.opt_array(field)?
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| Reply::bad_request(format!("{field} must be an array of strings")))
                    })
                    .collect()
            })
            .transpose()
    }
}
