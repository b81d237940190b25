"""`python -m bench`: run every benchmark and print its figures."""

from bench import flyers, messages

if __name__ == "__main__":
    flyers.main()
    messages.main()
