"""The local web pages (``drafter serve``): 起草, 审核, 规则 for staff who never open a terminal.

``create_app(WebSettings(...))`` in :mod:`drafter.web.app` builds the FastAPI application;
it needs the ``web`` extra (``pip install "drafter[web]"``: fastapi, uvicorn,
python-multipart, jinja2). The pages call the same API as the command line.
"""
