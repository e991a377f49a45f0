/**
 * Guide §3: the aws-auth ConfigMap used by the testing examples. The node
 * group mapping is what eksctl writes; the user is the one added in the
 * "You must be logged in to the server (Unauthorized)" story (§3.5).
 */
export const awsAuthYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - groups:
      - system:bootstrappers
      - system:nodes
      rolearn: arn:aws:iam::111111111111:role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U
      username: system:node:{{EC2PrivateDNSName}}
    - rolearn: arn:aws:iam::111111111111:role/Developers
      username: dev:{{SessionName}}
      groups:
        - developers
  mapUsers: |
    - userarn: arn:aws:iam::111111111111:user/yaroslav
      username: yaroslav
      groups:
        - system:masters
`;
