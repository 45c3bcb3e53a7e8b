/**
 * The project's own description of the OSCAL model: the structural facts of the official JSON schemas
 * (fields, required fields, types, cardinality, formats, allowed values) in a compact form the validator
 * walks directly. `generated.ts` holds the data; `scripts/oscal-generate-model.ts` writes it.
 */

/** Scalar datatypes of OSCAL, named after the official datatype definitions. */
export type Primitive =
  | 'string' // StringDatatype: no leading or trailing whitespace
  | 'text' // a string with no further constraint (markup-multiline)
  | 'line' // markup-line: one line
  | 'token'
  | 'uuid'
  | 'date-time'
  | 'date'
  | 'uri'
  | 'uri-reference'
  | 'integer'
  | 'non-negative-integer'
  | 'positive-integer'
  | 'decimal'
  | 'boolean'
  | 'email'
  | 'base64'
  | 'any-object'; // an object with no fields allowed (`combine`, `flat`, `include-all`)

/** A named definition (`@metadata:metadata`) or a primitive datatype. */
export type TypeRef = string;

export interface ObjectType {
  k: 'o';
  /** Every field the object may have, with its type. */
  p: Record<string, TypeExpr>;
  /** Fields every form of the object requires. */
  r?: string[];
  /** Alternative forms: each lists the fields it requires and, when narrower than `p`, those it allows. */
  alt?: { r: string[]; p?: string[] }[];
}

export interface ArrayType {
  k: 'a';
  i: TypeExpr;
  min?: number;
}

/** A value from a list: closed (`open` unset) or a list of suggestions over a base datatype. */
export interface EnumType {
  k: 'e';
  b: Primitive;
  v: string[];
  open?: true;
}

/** One item, or an array of items (the JSON form of OSCAL's "one or more" groupings). */
export interface OneOrManyType {
  k: 'm';
  i: TypeExpr;
  min?: number;
}

export type TypeExpr = TypeRef | ObjectType | ArrayType | EnumType | OneOrManyType;

export interface ModelVersion {
  /** Root field name (`catalog`, ...) to the named definition of the model. */
  roots: Record<string, TypeRef>;
  /** Named definitions by name (`metadata:metadata`), as indices into `ModelData.defs`. */
  names: Record<string, number>;
}

export interface ModelData {
  versions: Record<string, ModelVersion>;
  /** Definitions shared between versions, stored once. */
  defs: TypeExpr[];
}
