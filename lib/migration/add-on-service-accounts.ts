// Service accounts that EKS add-ons create and manage (AUG workloads-add-ons-available-eks, each add-on's
// "Required IAM permissions" section, and add-ons-iam / retreive-iam-info for Pod Identity support). When the
// add-on is installed, its service account's identity belongs to the add-on's configuration
// (`serviceAccountRoleArn` or `podIdentityAssociations` of CreateAddon/UpdateAddon): migrating it by hand would
// be reverted by the next add-on update, so the migration offers to migrate the add-on instead.

export interface AddOnServiceAccount {
  addon: string;
  namespace: string;
  serviceAccount: string;
}

export const ADD_ON_SERVICE_ACCOUNTS: AddOnServiceAccount[] = [
  { addon: 'vpc-cni', namespace: 'kube-system', serviceAccount: 'aws-node' },
  { addon: 'aws-ebs-csi-driver', namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' },
  { addon: 'aws-efs-csi-driver', namespace: 'kube-system', serviceAccount: 'efs-csi-controller-sa' },
  { addon: 'aws-mountpoint-s3-csi-driver', namespace: 'kube-system', serviceAccount: 's3-csi-driver-sa' },
  { addon: 'amazon-cloudwatch-observability', namespace: 'amazon-cloudwatch', serviceAccount: 'cloudwatch-agent' },
  { addon: 'adot', namespace: 'opentelemetry-operator-system', serviceAccount: 'opentelemetry-operator' },
  { addon: 'aws-guardduty-agent', namespace: 'amazon-guardduty', serviceAccount: 'aws-guardduty-agent' },
];
