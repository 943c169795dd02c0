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
        text += "未设置访问口令：任何能访问该地址的人都可以使用！建议设置环境变量 DRAFTER_WEB_TOKEN 或加 --token-file。"
    return text


@click.command(short_help="启动本机网页版（起草、审核、规则），在浏览器中使用")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="绑定地址；默认只允许本机访问，0.0.0.0 表示允许局域网访问（会给出警告）")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口")
@click.option("--token", envvar="DRAFTER_WEB_TOKEN", metavar="TOKEN",
              help="访问口令，至少 16 个字符；设置后须先输入口令。建议用环境变量 DRAFTER_WEB_TOKEN "
                   "或 --token-file 提供（命令行上的口令会出现在进程列表中）")
@click.option("--token-file", metavar="FILE", type=click.Path(dir_okay=False),
              help="从文件读取访问口令（文件第一行；建议只允许本人读取：chmod 600）")
@click.option("--allow-host", "allow_hosts", metavar="NAME", multiple=True,
              help="另外允许的主机名（如内网域名 drafter.example.lan），可重复；默认只接受绑定的地址和 localhost")
@click.option("--corpus", metavar="DIR",
              help="语料库文件夹：起草时取上一年度的计划和范文，并可下载预填的事实采集表")
@click.option("--model", metavar="NAME", help="大模型名称（也可设 DRAFTER_MODEL）；大模型起草另需 "
                                             "OPENAI_BASE_URL 和 OPENAI_API_KEY")
@click.option("--upload-dir", metavar="DIR", help="上传文件和结果的存放文件夹（默认：新建临时文件夹，退出时删除）")
@click.option("--keep-minutes", type=click.FloatRange(min=1), default=60, show_default=True,
              help="上传的文件和结果保存多少分钟（自最后一次使用起算），到期自动删除")
@click.option("--keep-days", type=click.FloatRange(min=0), default=30, show_default=True,
              help="审核时选择“保留结果”的，在服务器上保留多少天（0 表示不提供此选项）")
@click.option("--max-upload-mb", type=click.FloatRange(min=0.1), default=20, show_default=True,
              help="每次上传的大小上限（MB）")
@click.option("--max-files", type=click.IntRange(min=1), default=20, show_default=True,
              help="一次审核最多的文件数")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="同时起草的报告数（其余排队，最多再排 8 份）")
@click.option("--config", "config_path", metavar="FILE",
              help="配置文件（默认：当前文件夹下的 drafter.toml，如有），与 drafter check 相同：地方口径、"
                   "本地法规文件名称、机构名称、人名，见 docs/config.md")
def serve(host: str, port: int, token: str | None, token_file: str | None,
          allow_hosts: tuple[str, ...], corpus: str | None, model: str | None,
          upload_dir: str | None, keep_minutes: float, max_upload_mb: float, max_files: int,
          workers: int, keep_days: float = 30, config_path: str | None = None) -> int:
    """启动网页版：在浏览器中起草报告、审核报告、查看规则（全部在本机处理，不连接外部网站）。

    \b
    drafter serve                          只允许本机访问：http://127.0.0.1:8000/
    DRAFTER_WEB_TOKEN=… drafter serve --host 0.0.0.0 --corpus corpus
                                           供局域网使用（须设访问口令，至少 16 个字符）
    """
    try:
        from drafter.cli.serve_run import run_server  # uvicorn
        from drafter.web.app import WebSettings, create_app
    except ModuleNotFoundError as e:
        raise ConfigError(f"网页版所需的依赖未安装（缺少 {e.name}）",
                          '请运行 pip install "drafter[web]"') from None
    if corpus:
        from drafter.corpus import Corpus

        Corpus.open(corpus)  # a missing folder is an InputError (exit 2) now, not on first use
    token = _token(token, token_file)
    from drafter.config import load_config

    config = load_config(config_path)  # an invalid file is a usage error (exit 2) now
    _check_port(host, port)
    warning = exposure_warning(host, port, token)
    if warning:
        click.secho(warning, err=True, fg="yellow", bold=True)
    shown = "<本机IP地址>" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host

    def ready() -> None:
        click.echo(f"drafter 网页版已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）")
        if config is not None:
            click.echo(f"审核使用配置文件 {config.path}")
        click.echo(f"上传的文件保存在 {app.state.store.root}，{keep_minutes:g} 分钟未使用即删除")

    settings = WebSettings(host=host, port=port, token=token, allow_hosts=allow_hosts,
                           corpus=corpus, model=model, upload_dir=upload_dir,
                           keep_minutes=keep_minutes, keep_days=keep_days,
                           max_upload_mb=max_upload_mb, max_files=max_files, draft_workers=workers,
                           on_ready=ready, config=config)
    app = create_app(settings)
    click.echo("正在启动（加载词表和分词器）……")
    run_server(app, host, port)
    return 0


def _token(token: str | None, token_file: str | None) -> str | None:
    """The access token from --token, DRAFTER_WEB_TOKEN or --token-file; ConfigError (exit 2)
    for a missing file or a weak token, with a generated one to use instead."""
    from drafter.web.auth import suggest_token, token_problem

    ctx = click.get_current_context()
    from_command_line = ctx.get_parameter_source("token") == click.core.ParameterSource.COMMANDLINE
    if token_file:
        if from_command_line:
            raise ConfigError("--token 与 --token-file 只能用一个", "建议只用 --token-file")
        try:
            lines = open(token_file, encoding="utf-8-sig").read().splitlines()
        except OSError as e:
            raise ConfigError(f"{token_file}：无法读取访问口令文件（{e.strerror or e}）",
                              "请检查路径和读取权限") from None
        token = lines[0] if lines else ""
        if not token.strip():
            raise ConfigError(f"{token_file}：访问口令文件是空的", "请在文件第一行写入口令")
    token = (token or "").strip() or None
    if token is None:
        return None
    problem = token_problem(token)
    if problem:
        raise ConfigError(problem, f"可使用随机生成的口令，例如 {suggest_token()}"
                                   "（生成方法：python -c \"import secrets; print(secrets.token_urlsafe(24))\"）")
    if from_command_line:
        click.secho("警告：命令行上的访问口令（--token）会出现在进程列表（ps）中，本机其他用户可以看到；"
                    "建议改用环境变量 DRAFTER_WEB_TOKEN 或 --token-file。", err=True, fg="yellow")
    return token


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
