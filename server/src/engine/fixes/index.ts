export { applyTextEdits, diffEdit } from './applyEdits';
export { appendToSeq, insertIntoMap, layoutOf, removePair, removeSeqItem, renderFlow, renderScalar, setValue, type EditTarget, type ScalarStyle } from './yamlEdits';
