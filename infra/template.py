"""The AWS template for every table, generated from the models, with what watches them.

Point-in-time recovery and TTL where a model has one; on-demand billing except the tables the
night's batch writes, which are provisioned with scheduled and target-tracking scaling
(infra/scaling.py, numbers from infra/capacity.py); the
IAM policy names tables through ${AWS::Partition} so it works in aws-cn too.
The alarms, their SNS topic and the dashboard (infra/alarms.py, infra/dashboard.py) are in the
same template: they name the tables and the dead-letter queue by reference, so they are deployed,
updated and removed with them, and one drift test and one cfn-lint run cover all of it.
`tanpuhui template` prints it; infra/tables.template.json is the checked-in
copy and a test fails when it drifts from the models.
"""

from __future__ import annotations

import json

from pynamodb.indexes import LocalSecondaryIndex

import models
from infra import alarms, dashboard, scaling
from infra.tables import ttl_attribute

_TYPES = {"S": "S", "N": "N", "B": "B"}


def _key_schema(hash_key, range_key):
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def _table_resource(model) -> dict:
    attrs = {}
    hash_key = range_key = None
    for attr in model.get_attributes().values():
        if attr.is_hash_key:
            hash_key = attr.attr_name
            attrs[attr.attr_name] = attr.attr_type
        if attr.is_range_key:
            range_key = attr.attr_name
            attrs[attr.attr_name] = attr.attr_type
    props = {
        "TableName": {"Fn::Sub": "${Prefix}-${Stage}-" + model.Meta.short_name},
        "KeySchema": _key_schema(hash_key, range_key),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    lsis, gsis = [], []
    for index in model._indexes.values():
        meta = index.Meta
        ih = ir = None
        for attr in meta.attributes.values():
            attrs[attr.attr_name] = attr.attr_type
            if attr.is_hash_key:
                ih = attr.attr_name
            if attr.is_range_key:
                ir = attr.attr_name
        entry = {
            "IndexName": meta.index_name,
            "KeySchema": _key_schema(ih, ir),
            "Projection": {"ProjectionType": meta.projection.projection_type},
        }
        (lsis if isinstance(index, LocalSecondaryIndex) else gsis).append(entry)
    if lsis:
        props["LocalSecondaryIndexes"] = lsis
    if gsis:
        props["GlobalSecondaryIndexes"] = gsis
    props.update(scaling.billing(model.Meta.short_name, props))
    props["AttributeDefinitions"] = [
        {"AttributeName": k, "AttributeType": _TYPES[v]} for k, v in sorted(attrs.items())
    ]
    ttl = ttl_attribute(model)
    if ttl:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": props,
    }


def _logical_id(model) -> str:
    return alarms.table_id(model.Meta.short_name)


def _work_queues() -> dict:
    """The worker's queue of work units and its dead-letter queue (see functions/work_queue.py);
    the worker's event source mapping on it is zappa's (zappa_settings.json)."""
    from functions.work_queue import MAX_RECEIVES, VISIBILITY_SECONDS

    return {
        "WorkDeadLetterQueue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": "${Prefix}-${Stage}-work-dlq"},
                "MessageRetentionPeriod": 1209600,
            },
        },
        "WorkQueue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": "${Prefix}-${Stage}-work"},
                "VisibilityTimeout": VISIBILITY_SECONDS,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": ["WorkDeadLetterQueue", "Arn"]},
                    "maxReceiveCount": MAX_RECEIVES,
                },
            },
        },
    }


def generate() -> dict:
    resources = {}
    for m in sorted(models.REGISTRY, key=lambda m: m.Meta.short_name):
        resources[_logical_id(m)] = _table_resource(m)
        resources.update(scaling.resources(m.Meta.short_name, _logical_id(m)))
    table_arn = (
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Prefix}-${Stage}-*"
    )
    resources["AppDataPolicy"] = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "Description": "What the Lambda functions may do to the platform's tables, queue and trip bucket",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": [
                            "dynamodb:GetItem",
                            "dynamodb:BatchGetItem",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem",
                            "dynamodb:BatchWriteItem",
                            "dynamodb:Query",
                            "dynamodb:ConditionCheckItem",
                            "dynamodb:DescribeTable",
                        ],
                        "Resource": [{"Fn::Sub": table_arn}, {"Fn::Sub": table_arn + "/index/*"}],
                    },
                    {
                        "Effect": "Allow",
                        "Action": [
                            "sqs:SendMessage",
                            "sqs:ReceiveMessage",
                            "sqs:DeleteMessage",
                            "sqs:GetQueueUrl",
                            "sqs:GetQueueAttributes",
                        ],
                        "Resource": [{"Fn::GetAtt": ["WorkQueue", "Arn"]}],
                    },
                    {
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:ListBucket"],
                        "Resource": [
                            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${TripBucket}"},
                            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${TripBucket}/*"},
                        ],
                    },
                ],
            },
        },
    }
    resources.update(_work_queues())
    resources.update(alarms.resources())
    resources.update(dashboard.resources())
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Guangzhou carbon-inclusion platform: DynamoDB tables (generated from models/), "
        "work queue, alarms and dashboard",
        "Parameters": {
            "Prefix": {"Type": "String", "Default": "tanpuhui"},
            "Stage": {"Type": "String", "AllowedValues": ["dev", "prod"]},
            "TripBucket": {"Type": "String"},
            "OpsEmail": {
                "Type": "String",
                "Description": "Where alarms are sent (SNS email subscription)",
                "AllowedPattern": "[^@\\s]+@[^@\\s]+",
            },
        },
        "Resources": resources,
        "Outputs": {"AppDataPolicyArn": {"Value": {"Ref": "AppDataPolicy"}}},
    }


def render() -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"
