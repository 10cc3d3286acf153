/**
 * The API server endpoint's URL and DNS name: `https://<32 hex>.gr7.<region>.eks.amazonaws.com`
 * (the form DescribeCluster's `endpoint` has; AWS EKS User Guide, "Cluster API server endpoint").
 */
export const endpointUrl = (id: string, region: string): string => `https://${id}.gr7.${region}.eks.amazonaws.com`;

/** `https://ABC.gr7.ap-northeast-2.eks.amazonaws.com` → `ABC.gr7.ap-northeast-2.eks.amazonaws.com`. */
export const endpointHost = (url: string): string => url.replace(/^https:\/\//, '');

/** The endpoint's id, `ABC` (also the id in the cluster's OIDC issuer URL). */
export const endpointId = (url: string): string => endpointHost(url).split('.')[0] ?? '';
