//! Line and column of every node in a YAML file, by path (`requirements[3].ref`).
//!
//! serde gives positions only for syntax and type errors; checks that run after
//! deserialising (duplicate ids, dangling mapping ends) look their place up here.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct Spans {
    by_path: HashMap<String, Pos>,
}

impl Spans {
    /// Index a file's nodes. Returns an empty index for text that does not parse:
    /// the syntax error itself is reported by serde with its position.
    pub fn of(text: &str) -> Self {
        let mut recv = Receiver::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut recv, false).is_err() {
            return Self::default();
        }
        Self {
            by_path: recv.by_path,
        }
    }

    /// The position of the node at `path`, or of its nearest recorded ancestor.
    pub fn find(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.by_path.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Receiver {
    stack: Vec<Frame>,
    by_path: HashMap<String, Pos>,
}

impl Receiver {
    /// Path of the node that starts now, or `None` when it is a mapping key.
    fn next_path(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => {
                    // A key: remember it for the value that follows.
                    *key = Some(scalar.unwrap_or("?").to_owned());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Receiver {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value)) {
                    self.by_path.insert(p, pos);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_seq = matches!(ev, Event::SequenceStart(..));
                let path = self.next_path(None).unwrap_or_default();
                self.by_path.entry(path.clone()).or_insert(pos);
                self.stack.push(if is_seq {
                    Frame::Seq { path, index: 0 }
                } else {
                    Frame::Map { path, key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_path(None);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_point_at_their_lines() {
        let text = "id: x\nrequirements:\n  - ref: '1'\n    title: a\n  - ref: '2'\n    title: b\n";
        let s = Spans::of(text);
        assert_eq!(s.find("id").unwrap().line, 1);
        assert_eq!(s.find("requirements[0].ref").unwrap().line, 3);
        assert_eq!(s.find("requirements[1].title").unwrap().line, 6);
        assert_eq!(s.find("requirements[1].missing").unwrap().line, 5);
    }
}
