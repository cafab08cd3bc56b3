"""Reports: figures as plain data, and the renderers for the terminal, Excel, HTML and Word."""
