// Database types: one interface per table, kept in step with migrations/.
// (Filled in by the foundation work; every table the migrations create is listed here.)
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
