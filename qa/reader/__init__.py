"""The trained extractive reader: windows and span decoding (torch-free), model, training."""
