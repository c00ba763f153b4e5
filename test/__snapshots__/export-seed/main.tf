# replicate-setup export: rubes-s3-bucket (account 111111111111) replicates to clint-s3-bucket (account 222222222222).
# Generated from the same plan `replicate-setup plan` shows. Import blocks (Terraform >= 1.5) adopt what already exists.
# A bucket policy and a replication configuration are each one document: the whole merged document is written here,
# other people's statements and rules included, so applying it drops nobody's.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "source_profile" {
  description = "AWS profile of the source account"
  type        = string
  default     = "xyz"
}

variable "source_region" {
  description = "Region of the source bucket"
  type        = string
  default     = "ap-southeast-1"
}

variable "destination_profile" {
  description = "AWS profile of the destination account"
  type        = string
  default     = "abcd"
}

variable "destination_region" {
  description = "Region of the destination bucket"
  type        = string
  default     = "ap-southeast-2"
}

provider "aws" {
  alias   = "source"
  profile = var.source_profile
  region  = var.source_region
}

provider "aws" {
  alias   = "destination"
  profile = var.destination_profile
  region  = var.destination_region
}

resource "aws_s3_bucket" "destination" {
  provider = aws.destination
  bucket   = "clint-s3-bucket"
}

resource "aws_s3_bucket_ownership_controls" "destination" {
  provider = aws.destination
  bucket   = aws_s3_bucket.destination.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "destination" {
  provider                = aws.destination
  bucket                  = aws_s3_bucket.destination.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "destination" {
  provider = aws.destination
  bucket   = aws_s3_bucket.destination.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "destination" {
  provider = aws.destination
  bucket   = aws_s3_bucket.destination.id
  versioning_configuration {
    status = "Enabled"
  }
}

# The whole bucket policy: replicate-setup statements merged with any statements the bucket already had.
resource "aws_s3_bucket_policy" "destination" {
  provider = aws.destination
  bucket   = aws_s3_bucket.destination.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ReplicateSetupReplicasd8f649436467"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::111111111111:role/s3_replication_role"
        }
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
        Resource = "arn:aws:s3:::clint-s3-bucket/*"
      },
      {
        Sid    = "ReplicateSetupVersioningd8f649436467"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::111111111111:role/s3_replication_role"
        }
        Action   = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"]
        Resource = "arn:aws:s3:::clint-s3-bucket"
      },
    ]
  })
  depends_on = [aws_iam_role.replication]
}

resource "aws_iam_user_policy" "reader_tom_cruise" {
  provider = aws.destination
  name     = "replicate-setup-read-d8f649436467-rubes-s3-bucket-to-clint-s3-bucket"
  user     = "tom-cruise"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListReplicatedBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::rubes-s3-bucket", "arn:aws:s3:::clint-s3-bucket"]
      },
      {
        Sid      = "ReadReplicatedObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::rubes-s3-bucket/*", "arn:aws:s3:::clint-s3-bucket/*"]
      },
    ]
  })
}

resource "aws_s3_bucket" "source" {
  provider = aws.source
  bucket   = "rubes-s3-bucket"
}

resource "aws_s3_bucket_public_access_block" "source" {
  provider                = aws.source
  bucket                  = aws_s3_bucket.source.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "source" {
  provider = aws.source
  bucket   = aws_s3_bucket.source.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "source" {
  provider = aws.source
  bucket   = aws_s3_bucket.source.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "replication" {
  provider = aws.source
  name     = "s3_replication_role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "s3.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "replication" {
  provider = aws.source
  name     = "replicate-setup-replication-d8f649436467-rubes-s3-bucket-to-clint-s3-bucket"
  role     = aws_iam_role.replication.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadSourceBucket"
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = "arn:aws:s3:::rubes-s3-bucket"
      },
      {
        Sid      = "ReadSourceObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        Resource = "arn:aws:s3:::rubes-s3-bucket/*"
      },
      {
        Sid      = "WriteReplicas"
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
        Resource = "arn:aws:s3:::clint-s3-bucket/*"
      },
    ]
  })
}

# The whole bucket policy: replicate-setup statements merged with any statements the bucket already had.
resource "aws_s3_bucket_policy" "source" {
  provider = aws.source
  bucket   = aws_s3_bucket.source.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ReplicateSetupAuthorizedListd8f649436467"
        Effect = "Allow"
        Principal = {
          AWS = ["arn:aws:iam::222222222222:user/tom-cruise"]
        }
        Action   = ["s3:ListBucket"]
        Resource = "arn:aws:s3:::rubes-s3-bucket"
      },
      {
        Sid    = "ReplicateSetupAuthorizedReadd8f649436467"
        Effect = "Allow"
        Principal = {
          AWS = ["arn:aws:iam::222222222222:user/tom-cruise"]
        }
        Action   = ["s3:GetObject"]
        Resource = "arn:aws:s3:::rubes-s3-bucket/*"
      },
    ]
  })
}

# The whole replication configuration: replicate-setup rules beside any rules the bucket already had.
resource "aws_s3_bucket_replication_configuration" "source" {
  provider = aws.source
  bucket   = aws_s3_bucket.source.id
  role     = "arn:aws:iam::111111111111:role/s3_replication_role"
  rule {
    id       = "replicate-setup:clint-s3-bucket:d8f649436467@0c318190"
    status   = "Enabled"
    priority = 1
    filter {
      prefix = ""
    }
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket  = "arn:aws:s3:::clint-s3-bucket"
      account = "222222222222"
      access_control_translation {
        owner = "Destination"
      }
      replication_time {
        status = "Enabled"
        time {
          minutes = 15
        }
      }
      metrics {
        status = "Enabled"
        event_threshold {
          minutes = 15
        }
      }
    }
  }
  depends_on = [aws_s3_bucket_versioning.source, aws_s3_bucket_versioning.destination, aws_iam_role_policy.replication, aws_s3_bucket_policy.destination]
}
