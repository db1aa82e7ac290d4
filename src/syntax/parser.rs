//! The pest parsers generated from `grammar/*.pest`.
//!
//! Two parser structs: [`brian::BrianParser`] for Brian2's string languages (expressions, model
//! strings, code strings, generators; they share one set of rules) and [`script::ScriptParser`]
//! for `.eq` scripts (Python). This file only declares them; turning their output into the AST is
//! the job of the sibling modules. Nothing here may be reachable from outside `syntax`.

/// Parser for expressions, model strings, code strings and connect generators.
pub(crate) mod brian {
    use pest_derive::Parser;

    /// The pest parser of Brian2's string languages.
    #[derive(Parser)]
    #[grammar = "../grammar/common.pest"]
    #[grammar = "../grammar/expr.pest"]
    #[grammar = "../grammar/model.pest"]
    #[grammar = "../grammar/code.pest"]
    #[grammar = "../grammar/generator.pest"]
    pub(crate) struct BrianParser;
}

/// Parser for `.eq` scripts.
pub(crate) mod script {
    use pest_derive::Parser;

    /// The pest parser of the Python subset used by `.eq` scripts.
    #[derive(Parser)]
    #[grammar = "../grammar/script.pest"]
    pub(crate) struct ScriptParser;
}
