/**
 * Guide §1.4: which STS endpoint a token is signed for.
 */
import { generateToken } from 'eks-iam-auth';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

const hosts = await Promise.all([
  // Regional (the default of awscli v2 and current SDKs).
  generateToken({ clusterId: 'demo', credentials, region: 'eu-west-1' }), // sts.eu-west-1.amazonaws.com
  // botocore's old default: these regions sign for the global endpoint.
  generateToken({
    clusterId: 'demo',
    credentials,
    region: 'eu-west-1',
    stsRegionalEndpoints: 'legacy',
  }), // sts.amazonaws.com
  // FIPS and dual-stack.
  generateToken({ clusterId: 'demo', credentials, region: 'us-east-1', useFipsEndpoint: true }), // sts-fips.us-east-1.amazonaws.com
  generateToken({
    clusterId: 'demo',
    credentials,
    region: 'us-east-1',
    useDualstackEndpoint: true,
  }), // sts.us-east-1.api.aws
  // Other partitions follow from the region.
  generateToken({ clusterId: 'demo', credentials, region: 'cn-north-1' }), // sts.cn-north-1.amazonaws.com.cn
  generateToken({ clusterId: 'demo', credentials, region: 'us-gov-west-1' }), // sts.us-gov-west-1.amazonaws.com
]);
for (const { host, region } of hosts) console.log(host, region);
