// Workstation module
