//! Fenced code blocks of a Markdown text, found with pulldown-cmark (the parser mdBook
//! uses), with where they are: the build script needs source lines, the preprocessor needs
//! byte offsets to put a badge around each block.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One code block as it appears in a Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBlock {
    /// The info string (`console,run`); `None` for an indented block.
    pub info: Option<String>,
    /// The block's text, as the reader sees it.
    pub body: String,
    /// Bytes of the whole block, fences included.
    pub span: Range<usize>,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based lines of the body (first, last); empty body: last = first - 1.
    pub body_lines: (usize, usize),
}

pub fn options() -> Options {
    // The extensions mdBook 0.5 turns on by default.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

pub fn code_blocks(md: &str) -> Vec<RawBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<(Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.trim().to_string()),
                    CodeBlockKind::Indented => None,
                };
                current = Some((info, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = current.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, body)) = current.take() {
                    let line = line_of(md, range.start);
                    // The closing fence is the block's last line (unless the document ended).
                    let end_line = line_of(md, range.end.saturating_sub(1));
                    let closed = md[range.clone()].trim_end().ends_with("```")
                        || md[range.clone()].trim_end().ends_with("~~~");
                    let last_body = if info.is_some() && closed { end_line - 1 } else { end_line };
                    let first_body = if info.is_some() { line + 1 } else { line };
                    blocks.push(RawBlock {
                        info,
                        body,
                        span: range,
                        line,
                        body_lines: (first_body, last_body),
                    });
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Byte offset just after the first level-1 heading (where a chapter's summary goes), or 0.
pub fn after_title(md: &str) -> usize {
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        if let Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) = event {
            // The heading's range may or may not include its line's end.
            if md[..range.end].ends_with('\n') {
                return range.end;
            }
            return md[range.end..].find('\n').map(|i| range.end + i + 1).unwrap_or(md.len());
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fences_with_their_lines_and_bodies() {
        let md = "# T\n\ntext\n\n```console,run\necho hi\necho there\n```\n\n```json,output\n{}\n```\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].info.as_deref(), Some("console,run"));
        assert_eq!(blocks[0].body, "echo hi\necho there\n");
        assert_eq!((blocks[0].line, blocks[0].body_lines), (5, (6, 7)));
        assert_eq!(&md[blocks[1].span.clone()], "```json,output\n{}\n```");
        assert_eq!(blocks[1].body_lines, (11, 11));
    }

    #[test]
    fn indented_blocks_have_no_info() {
        let blocks = code_blocks("para\n\n    indented code\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].info, None);
    }

    #[test]
    fn the_title_ends_at_its_line() {
        let md = "# Axum quickstart\n\nIntro.\n";
        assert_eq!(&md[after_title(md)..], "\nIntro.\n");
        assert_eq!(after_title("no title\n"), 0);
    }
}
