# hal package of the city sensor firmware
