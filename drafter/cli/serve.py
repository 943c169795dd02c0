"""`drafter serve [--host 127.0.0.1] [--port 8000] [--token …] [--corpus DIR] …`: the web pages."""

from __future__ import annotations

import click

from drafter.errors import ConfigError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int, token: str | None) -> str | None:
    """The warning printed when the pages are reachable from other machines (Chinese)."""
    if is_loopback(host):
        return None
    where = "所有网络接口" if host in ("0.0.0.0", "::", "") else host
    text = (f"警告：服务绑定在 {where}（端口 {port}），局域网内其他计算机可以访问本服务，"
            "上传的报告和事实材料会经过网络传输（HTTP 明文）。")
    if token:
        text += "已启用访问口令；请只在可信的内部网络中使用。"
    else:
        text += "未设置访问口令：任何能访问该地址的人都可以使用！建议加 --token 或设置环境变量 DRAFTER_WEB_TOKEN。"
    return text


@click.command(short_help="启动本机网页版（起草、审核、规则），在浏览器中使用")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="绑定地址；默认只允许本机访问，0.0.0.0 表示允许局域网访问（会给出警告）")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口")
@click.option("--token", envvar="DRAFTER_WEB_TOKEN", metavar="TOKEN",
              help="访问口令（也可设环境变量 DRAFTER_WEB_TOKEN）；设置后须先输入口令，或访问 /?token=口令")
@click.option("--corpus", metavar="DIR",
              help="语料库文件夹：起草时取上一年度的计划和范文，并可下载预填的事实采集表")
@click.option("--model", metavar="NAME", help="大模型名称（也可设 DRAFTER_MODEL）；大模型起草另需 "
                                             "OPENAI_BASE_URL 和 OPENAI_API_KEY")
@click.option("--upload-dir", metavar="DIR", help="上传文件和结果的存放文件夹（默认：新建临时文件夹，退出时删除）")
@click.option("--keep-minutes", type=click.FloatRange(min=1), default=60, show_default=True,
              help="上传的文件和结果保存多少分钟（自最后一次使用起算），到期自动删除")
@click.option("--max-upload-mb", type=click.FloatRange(min=0.1), default=20, show_default=True,
              help="每次上传的大小上限（MB）")
@click.option("--max-files", type=click.IntRange(min=1), default=20, show_default=True,
              help="一次审核最多的文件数")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="同时起草的报告数（其余排队，最多再排 8 份）")
@click.option("--config", "config_path", metavar="FILE",
              help="配置文件（默认：当前文件夹下的 drafter.toml，如有），与 drafter check 相同：地方口径、"
                   "本地法规文件名称、机构名称、人名，见 docs/config.md")
def serve(host: str, port: int, token: str | None, corpus: str | None, model: str | None,
          upload_dir: str | None, keep_minutes: float, max_upload_mb: float, max_files: int,
          workers: int, config_path: str | None = None) -> int:
    """启动网页版：在浏览器中起草报告、审核报告、查看规则（全部在本机处理，不连接外部网站）。

    \b
    drafter serve                          只允许本机访问：http://127.0.0.1:8000/
    drafter serve --host 0.0.0.0 --token 口令 --corpus corpus
                                           供局域网使用（须设访问口令）
    """
    try:
        import uvicorn

        from drafter.web.app import WebSettings, create_app
    except ModuleNotFoundError as e:
        raise ConfigError(f"网页版所需的依赖未安装（缺少 {e.name}）",
                          '请运行 pip install "drafter[web]"') from None
    if corpus:
        from drafter.corpus import Corpus

        Corpus.open(corpus)  # a missing folder is an InputError (exit 2) now, not on first use
    from drafter.config import load_config

    config = load_config(config_path)  # an invalid file is a usage error (exit 2) now
    _check_port(host, port)
    token = (token or "").strip() or None
    warning = exposure_warning(host, port, token)
    if warning:
        click.secho(warning, err=True, fg="yellow", bold=True)
    shown = "<本机IP地址>" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host

    def ready() -> None:
        click.echo(f"drafter 网页版已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）")
        if config is not None:
            click.echo(f"审核使用配置文件 {config.path}")
        click.echo(f"上传的文件保存在 {app.state.store.root}，{keep_minutes:g} 分钟未使用即删除")

    settings = WebSettings(host=host, port=port, token=token, corpus=corpus, model=model,
                           upload_dir=upload_dir, keep_minutes=keep_minutes,
                           max_upload_mb=max_upload_mb, max_files=max_files, draft_workers=workers,
                           on_ready=ready, config=config)
    app = create_app(settings)
    click.echo("正在启动（加载词表和分词器）……")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return 0


def _check_port(host: str, port: int) -> None:
    """ConfigError (exit 2, one Chinese line) when the address cannot be bound — uvicorn
    would log an English error and exit 1 instead."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ConfigError(f"无法解析绑定地址“{host}”", "请使用 127.0.0.1、0.0.0.0 或本机的 IP 地址") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as e:
            raise ConfigError(f"无法在 {host}:{port} 启动服务（{e.strerror or e}）",
                              "端口可能已被占用，请换一个 --port") from None
