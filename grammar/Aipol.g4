// The aipol policy language, version 1 (see docs/language.md).
//
// Operator precedence is encoded as one rule per level, tightest last, so
// that the parse tree already has the shape of the AST. Comparisons are
// parsed as a chain and the AST builder rejects chains of more than one
// operator, which gives a better message than a syntax error would.
//
// Clause words, status words and duration units are tokens of their own but
// also count as identifiers (rule `name`) wherever their special use cannot
// start: the language has no juxtaposition except `INT unit`, so this stays
// unambiguous.
grammar Aipol;

// ---------------------------------------------------------------- modules

file_
  : moduleHeader importDecl* declaration* EOF
  ;

moduleHeader
  : MODULE dottedName
  ;

importDecl
  : IMPORT dottedName
  ;

dottedName
  : name ('.' name)*
  ;

declaration
  : enumDecl
  | recordDecl
  | inputDecl
  | paramDecl
  | defDecl
  | ruleDecl
  | exceptionDecl
  | obligationDecl
  | prohibitionDecl
  | reportDecl
  | testDecl
  ;

enumDecl
  : ENUM name '{' (name ','?)* '}'
  ;

recordDecl
  : RECORD name '{' (fieldDecl ','?)* '}'
  ;

fieldDecl
  : name ':' type REQUIRED?
  ;

inputDecl
  : INPUT name ':' type
  ;

paramDecl
  : PARAM name ':' type '=' expr
  ;

defDecl
  : DEF name ('(' (paramSpec (',' paramSpec)*)? ')')? (':' type)? '=' expr
  ;

paramSpec
  : name ':' type
  ;

ruleDecl
  : RULE name STRING? clause*
  ;

exceptionDecl
  : EXCEPTION name TO dottedName clause*
  ;

obligationDecl
  : OBLIGATION name STRING? clause*
  ;

prohibitionDecl
  : PROHIBITION name STRING? clause*
  ;

reportDecl
  : REPORT (defDecl | ruleDecl)
  ;

clause
  : CITE STRING (',' STRING)*   # citeClause
  | WHEN expr                   # whenClause
  | UNLESS expr                 # unlessClause
  | ACTOR name                  # actorClause
  | FROM expr                   # fromClause
  | UNTIL expr                  # untilClause
  | EVIDENCE expr               # evidenceClause
  | TEXT STRING                 # textClause
  ;

type
  : dottedName ('<' type (',' type)* '>')?
  ;

// ------------------------------------------------------------------ tests

testDecl
  : TEST STRING '{' testStep* '}'
  ;

testStep
  : GIVEN name '=' FILE STRING                          # givenFileStep
  | GIVEN name '=' expr                                 # givenExprStep
  | AS_OF expr                                          # asOfStep
  | SET dottedName '=' expr                             # setStep
  | EXPECT OBLIGATION dottedName IS statusWord          # expectObligationStep
  | EXPECT PROHIBITION dottedName IS statusWord         # expectProhibitionStep
  | EXPECT expr                                         # expectStep
  ;

statusWord
  : NOT APPLICABLE
  | UNKNOWN
  | name
  ;

// ------------------------------------------------------------ expressions

// A lone expression (REPL input, `--set` values).
exprOnly
  : expr EOF
  ;

expr
  : impliesExpr
  ;

impliesExpr
  : orExpr (IMPLIES impliesExpr)?
  ;

orExpr
  : andExpr (OR andExpr)*
  ;

andExpr
  : notExpr (AND notExpr)*
  ;

notExpr
  : NOT notExpr       # notOp
  | compareExpr       # notPass
  ;

compareExpr
  : unionExpr compareTail*
  ;

compareTail
  : op=('==' | '!=' | '<' | '<=' | '>' | '>=') unionExpr   # relationalTail
  | IN unionExpr                                          # inTail
  | HAS ANY unionExpr                                     # hasAnyTail
  | HAS ALL unionExpr                                     # hasAllTail
  | IS KNOWN                                              # isKnownTail
  | IS UNKNOWN                                            # isUnknownTail
  ;

unionExpr
  : interExpr ('|' interExpr)*
  ;

interExpr
  : addExpr ('&' addExpr)*
  ;

addExpr
  : mulExpr (ops+=('+' | '-') mulExpr)*
  ;

mulExpr
  : unaryExpr (ops+=('*' | '/') unaryExpr)*
  ;

unaryExpr
  : '-' unaryExpr     # negate
  | postfixExpr       # unaryPass
  ;

postfixExpr
  : primary postfix*
  ;

postfix
  : '.' name                               # memberPostfix
  | '[' expr ']'                           # indexPostfix
  | '(' (expr (',' expr)*)? ')'            # callPostfix
  ;

primary
  : INT durationUnit                                    # durationLit
  | INT                                                 # intLit
  | NUMBER                                              # numberLit
  | STRING                                              # stringLit
  | DATE                                                # dateLit
  | TRUE                                                # trueLit
  | FALSE                                               # falseLit
  | UNKNOWN                                             # unknownLit
  | AS_OF                                               # asOfRef
  | name                                                # nameRef
  | '(' expr ')'                                        # parens
  | '[' (expr (',' expr)* ','?)? ']'                    # listLit
  | '{' '}'                                             # emptyBraces
  | '{' name ':' expr (',' name ':' expr)* ','? '}'     # recordLit
  | '{' STRING ':' expr (',' STRING ':' expr)* ','? '}' # mapLit
  | '{' expr (',' expr)* ','? '}'                       # setLit
  | IF expr THEN expr ELSE expr                         # ifExpr
  | ANY name IN expr ':' expr                           # anyExpr
  | ALL name IN expr ':' expr                           # allExpr
  | COUNT name IN expr ':' expr                         # countExpr
  | COUNT '(' (expr (',' expr)*)? ')'                   # countCall
  ;

durationUnit
  : DAY | DAYS | MONTH | MONTHS | YEAR | YEARS
  ;

// Identifiers, including the words that are keywords only where their special
// use can start.
name
  : ID
  | CITE | WHEN | UNLESS | ACTOR | FROM | UNTIL | EVIDENCE | TEXT
  | MET | PARTIAL | OPEN | UPCOMING | EXPIRED | STALE | VIOLATED | APPLICABLE
  | DAY | DAYS | MONTH | MONTHS | YEAR | YEARS
  | FILE | SET
  ;

// ----------------------------------------------------------------- tokens

MODULE: 'module';
IMPORT: 'import';
ENUM: 'enum';
RECORD: 'record';
INPUT: 'input';
PARAM: 'param';
DEF: 'def';
RULE: 'rule';
EXCEPTION: 'exception';
TO: 'to';
OBLIGATION: 'obligation';
PROHIBITION: 'prohibition';
REPORT: 'report';
TEST: 'test';
REQUIRED: 'required';
GIVEN: 'given';
SET: 'set';
EXPECT: 'expect';
AS_OF: 'as_of';
AND: 'and';
OR: 'or';
NOT: 'not';
IMPLIES: 'implies';
IF: 'if';
THEN: 'then';
ELSE: 'else';
ANY: 'any';
ALL: 'all';
COUNT: 'count';
IN: 'in';
HAS: 'has';
IS: 'is';
KNOWN: 'known';
UNKNOWN: 'unknown';
TRUE: 'true';
FALSE: 'false';

// Contextual words (also accepted by `name`).
CITE: 'cite';
WHEN: 'when';
UNLESS: 'unless';
ACTOR: 'actor';
FROM: 'from';
UNTIL: 'until';
EVIDENCE: 'evidence';
TEXT: 'text';
MET: 'met';
PARTIAL: 'partial';
OPEN: 'open';
UPCOMING: 'upcoming';
EXPIRED: 'expired';
STALE: 'stale';
VIOLATED: 'violated';
APPLICABLE: 'applicable';
DAY: 'day';
DAYS: 'days';
MONTH: 'month';
MONTHS: 'months';
YEAR: 'year';
YEARS: 'years';
FILE: 'file';
// `set` is a test step and a type name (`set<E>`): contextual as well.

// A date is one token; the lexer's longest match keeps `2026 - 08 - 02`
// (with spaces) as arithmetic.
DATE: DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT;
NUMBER
  : DIGITS '.' DIGITS EXPONENT?
  | DIGITS EXPONENT
  ;
INT: DIGITS;
STRING
  : '"""' .*? '"""'
  | '"' (ESCAPE | ~["\\\r\n])* '"'
  ;
// A `"""` text that never closes: one token to the end of the file, so the
// error points at its start (otherwise `""` would lex as an empty string).
UNTERMINATED_TEXT: '"""' (~'"' | '"' ~'"' | '""' ~'"')* '"'? '"'? EOF;
ID: [A-Za-z_] [A-Za-z0-9_]*;

DOC_COMMENT: '##' ~[\r\n]* -> channel(2);
COMMENT: '#' ~[\r\n]* -> channel(HIDDEN);
WS: [ \t\r\n\u000C\uFEFF]+ -> channel(HIDDEN);

// Punctuation is named so that diagnostics can print it.
LBRACE: '{'; RBRACE: '}'; LPAREN: '('; RPAREN: ')'; LBRACKET: '['; RBRACKET: ']';
COMMA: ','; COLON: ':'; DOT: '.'; ASSIGN: '=';
EQ: '=='; NE: '!='; LE: '<='; GE: '>='; LT: '<'; GT: '>';
PLUS: '+'; MINUS: '-'; STAR: '*'; SLASH: '/'; AMP: '&'; PIPE: '|';

// Anything else is one bad character; the parser reports it in context.
UNEXPECTED_CHAR: .;

fragment DIGIT: [0-9];
fragment DIGITS: DIGIT ('_'? DIGIT)*;
fragment EXPONENT: [eE] [+-]? DIGITS;
fragment ESCAPE: '\\' ( ["\\nt] | 'u{' [0-9A-Fa-f]+ '}' | . );
