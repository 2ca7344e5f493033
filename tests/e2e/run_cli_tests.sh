#!/usr/bin/env bash
echo "no cli e2e cases yet"
