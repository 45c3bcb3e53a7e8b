/**
 * Kubernetes manifests: the Pod Security Standards (pss/), the control-mapped rule pack (rules/), and
 * what the editor shows from them (hover, per-resource control summaries, fix-all).
 */
export { checkKubernetesFile, checkKubernetesObjects, ruleApplies, type CheckedObject, type KubernetesCheckOptions, type KubernetesCheckResult } from './check';
export { fixAllKubernetes } from './fixAll';
export { kubernetesHover, type KubernetesHoverOptions } from './hover';
export { evaluatePodSecurity, type PssLevel, type PssViolation } from './pss';
export { KUBERNETES_RULES, kubernetesRule, type KubernetesRule, type KubernetesWorkspaceView } from './rules';
export { resourceSummaries, controlStatuses, summaryText, compactSummaryText, type ControlStatus, type ResourceSummary } from './summary';
export { IGNORE_ANNOTATION, readIgnoreAnnotation } from './suppression';
export { buildWorkspaceView, ENFORCE_LABEL, levelFromLabels } from './workspaceView';
