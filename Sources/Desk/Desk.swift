// Desk module
