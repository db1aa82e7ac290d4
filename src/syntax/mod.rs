//! Stage 1: parsing (pest grammars in `grammar/`) into the AST of [`ast`].
pub mod ast;
