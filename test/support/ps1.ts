// A PowerShell grammar (tree-sitter-powershell, run as WASM by web-tree-sitter) to check that every
// .ps1 text envset writes parses, without PowerShell installed.
import { createRequire } from 'node:module';
import { Language, type Node, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parser: Parser | undefined;

async function load(): Promise<Parser> {
  if (!parser) {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    parser = new Parser();
    parser.setLanguage(language);
  }
  return parser;
}

export interface Ps1Check {
  /** Text of each node the grammar could not parse, empty when the script is valid. */
  errors: string[];
  /** Node types in the tree, for asserting what kind of thing was parsed. */
  types: Set<string>;
  /** Raw text of each verbatim ('...') string literal, quotes included. */
  verbatimStrings: string[];
}

export async function checkPs1(text: string): Promise<Ps1Check> {
  const tree = (await load()).parse(text);
  if (!tree) throw new Error('the PowerShell parser returned no tree');
  const errors: string[] = [];
  const types = new Set<string>();
  const verbatimStrings: string[] = [];
  const walk = (node: Node) => {
    types.add(node.type);
    if (node.type === 'ERROR' || node.isMissing) errors.push(node.text || `missing ${node.type}`);
    if (node.type === 'verbatim_string_characters') verbatimStrings.push(node.text);
    for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  return { errors, types, verbatimStrings };
}

/** What PowerShell makes of a verbatim string literal: quotes stripped, each doubled quote (ASCII or typographic) one. */
export function verbatimValue(literal: string): string {
  return literal.slice(1, -1).replace(/(['\u2018-\u201b])\1/g, '$1');
}
