# A study group's week-1 lab as typed on myeks-host; generated from the seed-lab lesson.
# Run it: npx eks-sim shell --scenario seed-lab < docs/lessons/seed-week1.sh
# Set the variables
echo $AWS_DEFAULT_REGION
echo $CLUSTER_NAME
echo $VPCID
echo $PubSubnet1,$PubSubnet2
# Create the cluster with eksctl
eksctl create cluster --name $CLUSTER_NAME --region=$AWS_DEFAULT_REGION --nodegroup-name=$CLUSTER_NAME-nodegroup --node-type=t3.medium \
--node-volume-size=30 --vpc-public-subnets "$PubSubnet1,$PubSubnet2" --version 1.28 --ssh-access --external-dns-access --verbose 4
aws cloudformation describe-stacks --query 'Stacks[].[StackName,StackStatus]' --output text
# The API server endpoint
aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text
export APIDNS=$(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text | cut -d / -f 3)
# dig: two addresses
dig $APIDNS
dig +short $APIDNS
# curl: 403 on /, the version on /version
curl -k -s https://$APIDNS
curl -k -s https://$APIDNS/version
curl -k -s https://$(dig +short $APIDNS | head -n 1)/version
curl -k -s https://$(dig +short $APIDNS | tail -n 1)/version
# kubectl version says the same
kubectl version
kubectl get nodes -o wide
# The node IAM role: 6 policies
export NODEROLE=$(aws iam list-roles --query "Roles[?contains(RoleName, 'NodeInstanceRole')].RoleName" --output text)
echo $NODEROLE
aws iam list-attached-role-policies --role-name $NODEROLE
aws iam list-role-policies --role-name $NODEROLE
aws iam get-role-policy --role-name $NODEROLE --policy-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup-PolicyExternalDNSChangeSet
aws iam get-role-policy --role-name $NODEROLE --policy-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup-PolicyExternalDNSHostedZones
# The security groups
aws ec2 describe-security-groups --filters Name=vpc-id,Values=$VPCID --query 'SecurityGroups[*].[GroupName,GroupId]' --output text
aws ec2 describe-security-groups --filters Name=group-name,Values='*ControlPlaneSecurityGroup*' --query 'SecurityGroups[0].IpPermissions'
aws ec2 describe-security-groups --filters Name=group-name,Values='*remoteAccess*' --query 'SecurityGroups[0].IpPermissions'
aws ec2 describe-security-groups --filters Name=group-name,Values='eks-cluster-sg-*' --query 'SecurityGroups[0].IpPermissions'
# SSH from the work EC2 to a node
aws ec2 describe-instances --query "Reservations[*].Instances[*].{PublicIPAdd:PublicIpAddress,PrivateIPAdd:PrivateIpAddress,InstanceName:Tags[?Key=='Name']|[0].Value,Status:State.Name}" --filters Name=instance-state-name,Values=running --output table
export N1=$(aws ec2 describe-instances --filters Name=tag:eks:nodegroup-name,Values=$CLUSTER_NAME-nodegroup --query 'Reservations[0].Instances[0].PrivateIpAddress' --output text)
ssh -i ~/.ssh/id_rsa ec2-user@$N1 hostname
# Switch the endpoint to private
eksctl utils update-cluster-vpc-config --cluster=$CLUSTER_NAME --private-access=true --public-access=false --approve
aws eks describe-cluster --name $CLUSTER_NAME --query cluster.resourcesVpcConfig
# Locked out
dig +short $APIDNS
kubectl get nodes
eksctl delete cluster --name $CLUSTER_NAME
# The fix: allow the work EC2's group on 443
export CLUSTER_SG=$(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text)
export HOST_SG=$(aws ec2 describe-security-groups --filters Name=group-name,Values=$CLUSTER_NAME-EKSEC2SG --query 'SecurityGroups[0].GroupId' --output text)
aws ec2 authorize-security-group-ingress --group-id $CLUSTER_SG --protocol tcp --port 443 --source-group $HOST_SG
kubectl get nodes
# Delete from the console, as the author did
aws eks delete-nodegroup --cluster-name $CLUSTER_NAME --nodegroup-name $CLUSTER_NAME-nodegroup --query nodegroup.status
aws eks wait nodegroup-deleted --cluster-name $CLUSTER_NAME --nodegroup-name $CLUSTER_NAME-nodegroup
aws cloudformation delete-stack --stack-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup
aws cloudformation wait stack-delete-complete --stack-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup
aws cloudformation delete-stack --stack-name eksctl-$CLUSTER_NAME-cluster
aws cloudformation wait stack-delete-complete --stack-name eksctl-$CLUSTER_NAME-cluster
aws eks list-clusters
aws ec2 describe-network-interfaces --filters Name=description,Values='Amazon EKS *' --query 'NetworkInterfaces[].NetworkInterfaceId'
